import Estimation
import Foundation
import Inference
import LinearAlgebra
import Primitives
import Testing
import Formula
import PanelData

@Suite struct BootstrapTests {
    /// A small panel with 8 firms: few enough clusters to enumerate all 256 sign vectors. The
    /// fixed effects are explicit dummies, so the fit's design is the whole regression.
    func smallFit() throws -> LinearModelFit {
        try fitText(syntheticPanelCSV(firms: 8, years: 6, seed: 3), formula: "y ~ x1 + x2 + i(firm) + i(year)",
                    clusters: ["firm"], removeSingletons: false)
    }

    /// The model frame (before absorption) and the fit of a CSV text.
    func frameAndFit(_ csv: String, formula: String, clusters: [String]) throws -> (ModelFrame, LinearModelFit) {
        let table = try Array(csv.utf8).withUnsafeBytes { try CSVReader.read(bytes: $0, source: "test.csv", options: .init()) }
        let frame = try ModelFrame(table: table, formula: try ModelFormula.parse(formula),
                                   options: ModelFrameOptions(clusters: clusters, removeSingletons: false))
        return (frame, try LinearModel.fit(frame, options: LinearModelOptions(fixedEffectTolerance: 1e-12, threads: 2)))
    }

    /// The wild bootstrap computed the slow, obvious way: for every sign vector, rebuild y*, refit
    /// by least squares and compute the CRV1 t statistic.
    func bruteForce(_ fit: LinearModelFit, term: Int, imposeNull: Bool, bootstrapCluster: String = "firm") throws -> (t: Double, stars: [Double]) {
        let design = fit.weightedDesign, rows = design.rows, k = design.columns
        let cluster = try #require(fit.clusterVariables.first { $0.name == "firm" })
        let weightCluster = try #require(fit.clusterVariables.first { $0.name == bootstrapCluster })
        let fitted = try design.times(fit.coefficients)
        let response = zip(fitted, fit.weightedResiduals).map { $0 + $1 }
        var restrictedFitted = fitted, restrictedResiduals = fit.weightedResiduals
        if imposeNull {
            let others = (0..<k).filter { $0 != term }
            let reduced = design.selecting(columns: others)
            let solution = try LeastSquaresSolver().solve(design: reduced, response: response)
            restrictedFitted = try reduced.times(solution.coefficients)
            restrictedResiduals = zip(response, restrictedFitted).map { $0 - $1 }
        }
        let correction = SmallSampleCorrection.fixestDefault
        let nestedParameters = fit.coefficients.count
        let kappa = correction.clusterFactor(clusters: cluster.levelCount) * correction.parameterFactor(observations: rows, parameters: nestedParameters)
        func tStatistic(_ y: [Double], centre: Double) throws -> Double {
            let solution = try LeastSquaresSolver().solve(design: design, response: y)
            let residuals = zip(y, try design.times(solution.coefficients)).map { $0 - $1 }
            let row = (0..<k).map { solution.inverseCrossProduct[term, $0] }
            var scores = [Double](repeating: 0, count: cluster.levelCount)
            for i in 0..<rows {
                var xc = 0.0
                for j in 0..<k { xc += design[i, j] * row[j] }
                scores[Int(cluster.codes[i])] += xc * residuals[i]
            }
            return (solution.coefficients[term] - centre) / (kappa * scores.reduce(0) { $0 + $1 * $1 }).squareRoot()
        }
        let t = try tStatistic(response, centre: 0)
        var stars = [Double]()
        for b in 0..<(1 << weightCluster.levelCount) {
            let y = (0..<rows).map { i in
                restrictedFitted[i] + restrictedResiduals[i] * (((b >> Int(weightCluster.codes[i])) & 1) == 1 ? 1.0 : -1.0)
            }
            stars.append(try tStatistic(y, centre: imposeNull ? 0 : fit.coefficients[term]))
        }
        return (t, stars)
    }

    @Test(arguments: [true, false])
    func fastAlgorithmEqualsBruteForce(imposeNull: Bool) throws {
        let fit = try smallFit()
        let settings = WildBootstrapSettings(replicates: 999, seed: 1, imposeNull: imposeNull, threads: 2)
        let result = try fit.wildBootstrap(frame: nil, term: "x1", covarianceCluster: "firm", settings: settings)
        #expect(result.fullEnumeration && result.replicates == 256)
        let reference = try bruteForce(fit, term: try fit.coefficientIndex("x1"), imposeNull: imposeNull)
        #expect(abs(result.statistic - reference.t) < 1e-9 * abs(reference.t))
        for (fast, slow) in zip(result.bootstrapStatistics, reference.stars) {
            #expect(abs(fast - slow) < 1e-8 * max(1, abs(slow)))
        }
        // v = ±1 everywhere reproduces ±t exactly: both are ties, which count as extreme.
        let expected = Double(reference.stars.filter { abs($0) >= abs(reference.t) * (1 - 1e-10) }.count) / 256
        #expect(result.pValue == expected)
    }

    /// Weights drawn by region (7 regions, enumerated) with CRV1 statistics clustered by firm:
    /// the sparse cluster-intersection path of the fast algorithm against the brute force.
    @Test(arguments: [true, false])
    func bootstrapClustersMayDifferFromCovarianceClusters(imposeNull: Bool) throws {
        let fit = try fitText(syntheticPanelCSV(firms: 8, years: 6, seed: 3), formula: "y ~ x1 + x2 + i(firm) + i(year)",
                              clusters: ["firm", "region"], removeSingletons: false)
        let settings = WildBootstrapSettings(replicates: 999, seed: 1, imposeNull: imposeNull, threads: 2)
        let result = try fit.wildBootstrap(frame: nil, term: "x1", covarianceCluster: "firm", bootstrapCluster: "region", settings: settings)
        #expect(result.fullEnumeration && result.replicates == 128)
        let reference = try bruteForce(fit, term: try fit.coefficientIndex("x1"), imposeNull: imposeNull, bootstrapCluster: "region")
        #expect(abs(result.statistic - reference.t) < 1e-9 * abs(reference.t))
        for (fast, slow) in zip(result.bootstrapStatistics, reference.stars) {
            #expect(abs(fast - slow) < 1e-8 * max(1, abs(slow)))
        }
    }

    /// Absorbed fixed effects give the bootstrap of the explicit-dummy regression (as pyfixest
    /// hands wildboottest): the same p-values, and bootstrap statistics that differ only by the
    /// constant small-sample factor (K counts the dummies in one, not in the other).
    @Test(arguments: [true, false])
    func absorbedFixedEffectsBootstrapLikeDummies(imposeNull: Bool) throws {
        let csv = syntheticPanelCSV(firms: 9, years: 5, seed: 8)
        let (frame, absorbed) = try frameAndFit(csv, formula: "y ~ x1 + x2 | firm + year", clusters: ["firm"])
        let dummies = try fitText(csv, formula: "y ~ x1 + x2 + i(firm) + i(year)", clusters: ["firm"], removeSingletons: false)
        let settings = WildBootstrapSettings(replicates: 9_999, seed: 3, imposeNull: imposeNull, threads: 2)
        let fast = try absorbed.wildBootstrap(frame: frame, term: "x1", covarianceCluster: "firm", settings: settings)
        let explicit = try dummies.wildBootstrap(frame: nil, term: "x1", covarianceCluster: "firm", settings: settings)
        #expect(fast.fullEnumeration && fast.replicates == 512)
        #expect(fast.pValue == explicit.pValue)
        let ratio = fast.statistic / explicit.statistic
        for (a, b) in zip(fast.bootstrapStatistics, explicit.bootstrapStatistics) { #expect(abs(a - ratio * b) < 1e-8 * max(1, abs(a))) }
        #expect(abs(fast.confidenceLow - explicit.confidenceLow) < 1e-6 * max(1, abs(explicit.confidenceLow)))
    }

    @Test func wildIsIdenticalForAnyThreadCount() throws {
        let (frame, fit) = try frameAndFit(syntheticPanelCSV(firms: 40, years: 6, seed: 5), formula: "y ~ x1 + x2 | firm + year", clusters: ["firm"])
        let outcomes = try [1, 2, 8].map { threads in
            try fit.wildBootstrap(frame: frame, term: "x2", covarianceCluster: "firm",
                                  settings: WildBootstrapSettings(replicates: 4_999, seed: 42, weights: .webb, threads: threads))
        }
        for other in outcomes.dropFirst() {
            #expect(other.bootstrapStatistics == outcomes[0].bootstrapStatistics)
            #expect(other.pValue == outcomes[0].pValue && other.confidenceLow == outcomes[0].confidenceLow)
        }
    }

    @Test func pairsAndMultiplierAreIdenticalForAnyThreadCount() throws {
        let engineResults = try [1, 2, 8].map { threads in
            try PairsClusterBootstrap(replicates: 300, seed: 9, threads: threads).run(clusterCount: 25, estimates: [0]) { draws in
                [Double(draws.reduce(0, +)) / Double(draws.count)]
            }.replicates
        }
        #expect(engineResults[1] == engineResults[0] && engineResults[2] == engineResults[0])
        var influence = Matrix(rows: 60, columns: 3)
        var stream = RandomStream(seed: 4, replicate: 0)
        for index in influence.values.indices { influence.values[index] = stream.nextNormal() }
        let clusters = ClusterVariable(name: "g", codes: (0..<60).map { Int32($0 % 12) }, count: 12)
        let multiplier = try [1, 2, 8].map { threads in
            try MultiplierBootstrap(replicates: 999, seed: 3, threads: threads).run(influence: influence, clusters: clusters)
        }
        #expect(multiplier[1].replicates == multiplier[0].replicates && multiplier[2].replicates == multiplier[0].replicates)
        #expect(multiplier[0].uniformCriticalValue >= StandardNormal.quantile(0.975) - 0.3)
    }

    @Test func badRequestsAreErrors() throws {
        let fit = try smallFit()
        let settings = WildBootstrapSettings(replicates: 99)
        let unknown = #expect(throws: EstimationError.self) { try fit.wildBootstrap(frame: nil, term: "x9", covarianceCluster: "firm", settings: settings) }
        #expect(unknown?.message.contains("not a coefficient") == true)
        let zero = #expect(throws: EstimationError.self) {
            try fit.wildBootstrap(frame: nil, term: "x1", covarianceCluster: "firm", settings: WildBootstrapSettings(replicates: 0))
        }
        #expect(zero?.message.contains("at least one replicate") == true)
        var lines = ["g,x,z,y"]
        for i in 0..<30 { lines.append("1,\(Double(i % 7)),\(Double(i % 7) * 2),\(Double(i) * 0.1 + Double(i % 3))") }
        let collinear = try fitText(lines.joined(separator: "\n"), formula: "y ~ x + z", clusters: ["g"])
        let dropped = #expect(throws: EstimationError.self) { try collinear.wildBootstrap(frame: nil, term: "z", covarianceCluster: "g", settings: settings) }
        #expect(dropped?.message.contains("collinear") == true)
        let single = #expect(throws: EstimationError.self) { try collinear.wildBootstrap(frame: nil, term: "x", covarianceCluster: "g", settings: settings) }
        #expect(single?.message.contains("at least 2") == true)
    }
}

@Suite struct LinearRestrictionTests {
    @Test func parsesRestrictions() throws {
        let restriction = try LinearRestriction(parsing: "2*x1 - x2 + year::-1 = 0.5")
        #expect(restriction.weights.map(\.term) == ["x1", "x2", "year::-1"])
        #expect(restriction.weights.map(\.weight) == [2, -1, 1])
        #expect(restriction.value == 0.5)
        #expect(throws: EstimationError.self) { try LinearRestriction(parsing: "x1 + = 2") }
        #expect(throws: EstimationError.self) { try LinearRestriction(parsing: "x1 = abc") }
    }

    /// H0: β₁ + β₂ = 0 in y ~ x1 + x2 is H0: γ₁ = 0 in y ~ x1 + (x2 − x1), whose x1 coefficient is
    /// β₁ + β₂: the same restricted model and the same draws must give the same p-value.
    @Test(arguments: [true, false])
    func restrictionEqualsReparametrisedCoefficient(imposeNull: Bool) throws {
        var lines = syntheticPanelCSV(firms: 30, years: 6, seed: 12).split(separator: "\n").map(String.init)
        lines[0] += ",d"
        for index in 1..<lines.count {
            let fields = lines[index].split(separator: ",").map(String.init)
            let x1 = Double(fields[3]) ?? 0, x2 = Double(fields[4]) ?? 0
            lines[index] += ",\(x2 - x1)"
        }
        let csv = lines.joined(separator: "\n")
        let settings = WildBootstrapSettings(replicates: 1_999, seed: 5, imposeNull: imposeNull, threads: 2)
        let original = try fitText(csv, formula: "y ~ x1 + x2 | firm + year", clusters: ["firm"], removeSingletons: false)
        let reparametrised = try fitText(csv, formula: "y ~ x1 + d | firm + year", clusters: ["firm"], removeSingletons: false)
        #expect(abs(original.coefficients[0] + original.coefficients[1] - reparametrised.coefficients[0]) < 1e-9)
        // Firm fixed effects are nested in the firm clusters and year effects are not; with frame
        // nil the bootstrap runs on the demeaned design, identical for both parametrisations.
        let restricted = try original.wildBootstrap(frame: nil, restriction: try LinearRestriction(parsing: "x1 + x2 = 0"),
                                                    covarianceCluster: "firm", settings: settings)
        let single = try reparametrised.wildBootstrap(frame: nil, term: "x1", covarianceCluster: "firm", settings: settings)
        #expect(restricted.pValue == single.pValue)
        #expect(abs(restricted.statistic - single.statistic) < 1e-8 * abs(single.statistic))
        #expect(abs(restricted.confidenceLow - single.confidenceLow) < 1e-6 * max(1, abs(single.confidenceLow)))
    }
}
