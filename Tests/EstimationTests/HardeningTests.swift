@testable import Estimation
import Formula
import Foundation
@testable import Inference
import PanelData
import Testing

/// The estimation side of issue 10 (a bad-input audit): crashes on non-integer identifiers,
/// designs too large for memory, inference without degrees of freedom, the outcome among the
/// regressors, non-finite numbers and undefined transformations, absorbed regressors, and
/// periods beyond 10^9. Each test fails on the code before the fix.
@Suite struct HardeningTests {
    /// A four-row file whose fixed effect has non-integer levels of both signs (item 1).
    static let signedLevels = "y,x,g\n1,0.5,-0.5\n2,1.5,0.5\n3,2.5,-0.5\n4,1.0,0.5\n"

    // MARK: Item 1: factors of non-integer values of both signs

    @Test func factorKeysSpanningTheWholeInt64RangeDoNotOverflow() {
        // The bit patterns of -0.5 and 0.5 lie near Int64.min and Int64.max: high - low overflows.
        let keys = [(-0.5).bitPattern, 0.5.bitPattern, (-0.5).bitPattern, 0.5.bitPattern].map { Int64(bitPattern: $0) }
        let factor = Factor(name: "g", keys: keys)
        #expect(factor.levelCount == 2)
        #expect(factor.codes == [0, 1, 0, 1])
        let extremes = Factor(name: "e", keys: [Int64.min, Int64.max, Int64.min, 0])
        #expect(extremes.codes == [0, 1, 0, 2])
        #expect(Factor.compactSpan(low: Int64.min, high: Int64.max, count: 4) == nil)
        #expect(Factor.compactSpan(low: -3, high: 3, count: 4) == 7)
    }

    @Test func nonIntegerFixedEffectAndClusterOfBothSignsFit() throws {
        let fit = try fitText(Self.signedLevels, formula: "y ~ x | g")
        #expect(fit.observationCount == 4)
        #expect(fit.fixedEffects.first?.levelCount == 2)
        let longitudes = "y,x,lon\n1,0.5,-0.13\n2,1.5,2.35\n3,2.5,-0.13\n4,1.0,2.35\n5,3.0,-0.13\n6,0.1,2.35\n"
        let clustered = try fitText(longitudes, formula: "y ~ x", clusters: ["lon"])
        let covariance = try clustered.covariance(.cluster(["lon"]))
        #expect(covariance.clusterCounts == [2])
    }

    // MARK: Item 3: memory of indicator columns

    static func frame(_ csv: String, formula: String, budget: MemoryBudget?) throws -> ModelFrame {
        let table = try Array(csv.utf8).withUnsafeBytes { try CSVReader.read(bytes: $0, source: "test.csv", options: .init()) }
        return try ModelFrame(table: table, formula: try ModelFormula.parse(formula), options: ModelFrameOptions(memoryBudget: budget))
    }

    @Test func indicatorColumnsBeyondTheMemoryBudgetAreRefusedBeforeAllocation() throws {
        let csv = "y,f,g\n" + (0..<1_000).map { "\(Double($0 % 17) * 0.5),\($0 % 200),\($0 % 3)" }.joined(separator: "\n")
        // 200 indicator columns over 1,000 rows need about 6.4 MB; a 1 MB machine cannot hold them.
        let small = MemoryBudget(availableBytes: 1e6)
        let error = #expect(throws: EstimationError.self) { try Self.frame(csv, formula: "y ~ i(f) | g", budget: small) }
        let message = error?.message ?? ""
        #expect(message.contains("i(f)") && message.contains("200 indicator columns") && message.contains("MB"), "\(message)")
        #expect(message.contains("absorb 'f' as a fixed effect"), "\(message)")
        // The same design fits the machine, and plain columns are never refused on this ground.
        // (199 columns: with fixed effects, i(f) leaves out its first level as fixest does.)
        #expect(try Self.frame(csv, formula: "y ~ i(f) | g", budget: nil).design.columns == 199)
        #expect(try Self.frame(csv, formula: "y ~ f | g", budget: small).design.columns == 1)
        #expect(MemoryBudget.machine.availableBytes > 1e8)
        #expect(MemoryBudget.describe(2.4e11) == "240 GB")
    }

    // MARK: Item 4: no residual degrees of freedom

    @Test func zeroResidualDegreesOfFreedomLeaveInferenceUndefined() throws {
        // The four cell means of a 2x2: four observations, four parameters, an exact fit.
        let fit = try fitText("y,treat,post\n1,0,0\n2,0,1\n3,1,0\n5,1,1\n", formula: "y ~ treat*post")
        #expect(abs(fit.coefficients[3] - 1) < 1e-12)
        for type in [CovarianceType.iid, .hetero] {
            let covariance = try fit.covariance(type)
            #expect(!covariance.isDefined)
            #expect(covariance.standardErrors.allSatisfy { $0.isNaN }, "\(type): \(covariance.standardErrors)")
            #expect(covariance.notes.contains { $0.contains("no residual degrees of freedom") })
        }
        // One more observation and everything is defined again.
        let defined = try fitText("y,treat,post\n1,0,0\n2,0,1\n3,1,0\n5,1,1\n5.5,1,1\n", formula: "y ~ treat*post")
        #expect(try defined.covariance(.iid).isDefined)
        #expect(try defined.covariance(.iid).standardErrors.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func zeroDegreesOfFreedomWithFixedEffectsAndClusters() throws {
        // 2 units × 2 periods with unit and period effects: N = 4, K = 1 + 2 + 2 − 1 = 4.
        let csv = "unit,year,d,y\n1,1,0,1\n1,2,0,2\n2,1,0,1.5\n2,2,1,4\n"
        let fit = try fitText(csv, formula: "y ~ d | unit + year", clusters: ["unit"])
        let clustered = try fit.covariance(.cluster(["unit"]))
        #expect(!clustered.isDefined, "the clustered K leaves the nested unit effect out, but the fit is still exact")
        #expect(clustered.standardErrors.allSatisfy { $0.isNaN })
    }

    @Test func twoClustersWithPeriodEffectsGiveNoClusteredInference() throws {
        // Two units and three periods: N − K = 1, but with period effects the two clusters' score
        // sums are equal and opposite, so CRV1 is exactly zero (rounding prints 1e-16, "p < 2e-16").
        let csv = "unit,year,d,y\n1,1,0,1\n1,2,0,2\n1,3,0,2.5\n2,1,0,1.5\n2,2,0,2.2\n2,3,1,4\n"
        let fit = try fitText(csv, formula: "y ~ d | unit + year", clusters: ["unit"])
        let clustered = try fit.covariance(.cluster(["unit"]))
        #expect(clustered.standardErrors.allSatisfy { $0.isNaN }, "\(clustered.standardErrors)")
        #expect(clustered.notes.contains { $0.contains("robust variance is zero") })
        #expect(try fit.covariance(.iid).standardErrors.allSatisfy { $0.isFinite && $0 > 0 }, "the classical variance is defined")
        let wald = try WaldTest(coefficients: fit.coefficients, covariance: clustered, indices: [0])
        #expect(wald.statistic.isNaN && wald.pValue.isNaN)
    }

    // MARK: Item 5: the outcome among the regressors

    @Test(arguments: ["y ~ y", "y ~ y | g", "y ~ x + log(y)", "log(y) ~ y", "y ~ x:y", "y ~ i(g, y)"])
    func outcomeOnTheRightIsRefused(_ formula: String) {
        let error = #expect(throws: FormulaError.self) { try ModelFormula.parse(formula) }
        #expect(error?.reason.contains("outcome's column 'y' is also a regressor") == true, "\(formula): \(String(describing: error))")
    }

    @Test func otherColumnsAndFixedEffectsOnTheOutcomeStillParse() throws {
        #expect(try ModelFormula.parse("y ~ y_lag + ylog").terms.count == 2)
        // A fixed effect on the outcome is left to the estimator, which says it explains the outcome.
        _ = try ModelFormula.parse("y ~ x | y")
        let error = #expect(throws: EstimationError.self) { try fitText("y,x\n1,1\n1,2\n2,3\n2,5\n", formula: "y ~ x | y") }
        #expect(error?.message.contains("fully explained by the fixed effects") == true)
    }

    // MARK: Items 8 and 12: non-finite numbers, undefined transformations, overflow

    @Test func nonFiniteValuesAreCountedUnderTheirOwnName() throws {
        let fit = try fitText("y,x\n1,1\n2,inf\n3,1e400\n4,2\n5,-Inf\n6,NA\n7,5\n8,4\n", formula: "y ~ x")
        #expect(fit.droppedMissing == 1)
        #expect(fit.droppedNonFinite == 3)
        #expect(fit.observationCount == 4)
    }

    @Test func undefinedTransformationsAreCountedByReason() throws {
        let fit = try fitText("y,x,z\n1,2,1\n2,0,1\n3,-1,4\n4,6,-2\n4,9,9\n5,NA,3\n6,3,5\n7,4,2\n", formula: "y ~ log(x) + sqrt(z)")
        #expect(fit.droppedMissing == 1)
        #expect(fit.droppedUndefinedTransforms.map(\.reason) == ["log of zero or negative", "sqrt of negative"])
        #expect(fit.droppedUndefinedTransforms.map(\.rows) == [2, 1])
        #expect(fit.observationCount == 4)
    }

    @Test func aRegressorWhoseSquareOverflowsIsAnOverflowNotAbsorption() throws {
        let csv = "y,x,g\n1,1e300,1\n2,2e300,1\n3,1e300,2\n4,3e300,2\n5,2e300,1\n"
        for formula in ["y ~ x | g", "y ~ x"] {
            let error = #expect(throws: EstimationError.self) { try fitText(csv, formula: formula, removeSingletons: false) }
            let message = error?.message ?? ""
            #expect(message.contains("'x'") && message.contains("overflow") && !message.contains("absorbed by the fixed effects"), "\(formula): \(message)")
        }
        let outcome = #expect(throws: EstimationError.self) { try fitText("y,x\n1e300,1\n-2e300,2\n3e300,3\n", formula: "y ~ x") }
        #expect(outcome?.message.contains("outcome 'y'") == true && outcome?.message.contains("overflow") == true)
    }

    // MARK: Item 14: regressors absorbed by the fixed effects

    static let panel = "firm,year,size,x,y\n1,1,3,0.5,1\n1,2,3,1.5,2\n1,3,3,0.7,2.2\n2,1,5,0.2,2\n2,2,5,2.0,4\n2,3,5,1.2,3.1\n3,1,2,0.9,0\n3,2,2,1.1,3\n3,3,2,0.3,1.4\n"

    @Test func everyRegressorAbsorbedLeavesAFitWithoutCoefficients() throws {
        let fit = try fitText(Self.panel, formula: "y ~ size | firm + year", clusters: ["firm"])
        #expect(fit.coefficientNames.isEmpty)
        #expect(fit.absorbedNames == ["size"])
        for type in [CovarianceType.iid, .hetero, .cluster(["firm"])] {
            #expect(try fit.covariance(type).matrix.columns == 0)
        }
    }

    @Test func testedTermsThatAreAbsorbedStayErrors() throws {
        let fit = try fitText(Self.panel, formula: "y ~ x + size | firm + year", clusters: ["firm"])
        #expect(fit.coefficientNames == ["x"])
        let restriction = try LinearRestriction(parsing: "x + size = 0")
        let error = #expect(throws: EstimationError.self) {
            try restriction.vector(over: fit.coefficientNames, collinear: fit.collinearNames, absorbed: fit.absorbedReason)
        }
        #expect(error?.message.contains("'size' is absorbed by the fixed effects (firm, year)") == true, "\(String(describing: error))")
        let settings = WildBootstrapSettings(replicates: 99, seed: 1)
        let bootstrap = #expect(throws: EstimationError.self) {
            try fit.wildBootstrap(frame: nil, term: "size", covarianceCluster: "firm", settings: settings)
        }
        #expect(bootstrap?.message.contains("absorbed") == true)
    }

    // MARK: Item 11: periods at and beyond 10^9

    static func structure(_ csv: String) throws -> PanelStructure {
        let table = try Array(csv.utf8).withUnsafeBytes { try CSVReader.read(bytes: $0, source: "panel.csv", options: .init()) }
        return try PanelStructure(table: table, unit: "unit", time: "t")
    }

    @Test func periodsAtAndAboveOneBillionAreIntegers() throws {
        let structure = try Self.structure("unit,t\n1,1000000000\n1,1000000001\n2,1000000000\n2,4294967296\n")
        #expect(structure.periodValues == [1_000_000_000, 1_000_000_001, 4_294_967_296])
        // Periods 2^32 apart are distinct periods, not a duplicate of the unit's row.
        let apart = try Self.structure("unit,t\n1,0\n1,4294967296\n2,0\n")
        #expect(apart.periodValues == [0, 4_294_967_296])
        #expect(throws: PanelError.self) { try Self.structure("unit,t\n1,5000000000\n1,5000000000\n") }
    }

    @Test func periodsBeyondTwoToThe53AreRefusedNamingTheLimit() throws {
        #expect(try Self.structure("unit,t\n1,9007199254740992\n").periodValues == [9_007_199_254_740_992])
        let error = #expect(throws: PanelError.self) { try Self.structure("unit,t\n1,2000\n1,1e17\n") }
        let message = error?.description ?? ""
        #expect(message.contains("2^53") && message.contains("row 2") && !message.contains("must hold integers"), "\(message)")
        let fraction = #expect(throws: PanelError.self) { try Self.structure("unit,t\n1,2000.5\n") }
        #expect(fraction?.description.contains("must hold integers") == true)
    }

    // MARK: Item 8: trends

    @Test func trendsLeaveNonFiniteOutcomesOut() throws {
        let csv = "unit,t,g,y\n1,1,2,1\n1,2,2,-inf\n2,1,0,2\n2,2,0,3\n3,1,2,5\n3,2,2,1e400\n4,1,0,NA\n4,2,0,4\n"
        let table = try Array(csv.utf8).withUnsafeBytes { try CSVReader.read(bytes: $0, source: "panel.csv", options: .init()) }
        let structure = try PanelStructure(table: table, unit: "unit", time: "t", treatment: .cohort("g"))
        let trends = try PanelTrends(structure: structure, table: table, outcome: "y", statistic: .mean, grouping: .status)
        #expect(trends.points.allSatisfy { $0.value.isFinite }, "\(trends.points.map(\.value))")
        #expect(trends.nonFiniteRows == 2)
        #expect(trends.missingRows == 1)
        #expect(trends.droppedNote?.contains("2 rows with a non-finite value") == true)
    }
}
