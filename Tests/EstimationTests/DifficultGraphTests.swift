@testable import Estimation
import LinearAlgebra
import Foundation
import Formula
import Inference
import PanelData
import Testing
import QuipuTestSupport

/// The absorber on a poorly connected worker-firm graph, and the count of redundant levels.
@Suite(.tags(.slow)) struct DifficultGraphTests {
    /// The reference file written by `Tests/Fixtures/difficult/make_reference.py`.
    struct Reference: Decodable {
        struct Model: Decodable {
            let coefficients: [String: Double]
            let std_errors: [String: Double]
        }
        struct Checksums: Decodable {
            let y_sum: Double, x1_sum: Double, firm_sum: Int
        }
        let rows: Int
        let seed: UInt64
        let checksums: Checksums
        let models: [String: Model]
    }

    static func reference() throws -> Reference {
        let data = try Fixture.data("Tests/Fixtures/difficult/reference.json")
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    /// Fits `formula` on the panel with quipu's defaults (fixed-effect tolerance 1e-8), CRV1 by indiv.
    static func fit(_ formula: String, path: String) throws -> (LinearModelFit, CovarianceEstimate) {
        let table = try CSVReader.read(path: path)
        let frame = try ModelFrame(table: table, formula: try ModelFormula.parse(formula),
                                   options: ModelFrameOptions(weights: nil, clusters: ["indiv"], removeSingletons: true))
        let fit = try LinearModel.fit(frame, options: LinearModelOptions(fixedEffectTolerance: 1e-8, threads: 2))
        return (fit, try fit.covariance(.cluster(["indiv"])))
    }

    /// At the default tolerance the coefficients equal the tightly converged LSQR values to 1e-8
    /// and the clustered standard errors to 1e-6 (the issue asks 1e-6 and 1e-5): alternating
    /// projections alone stop far from them on this graph.
    @Test func difficultPanelMatchesTightlyConvergedReference() throws {
        let reference = try Self.reference()
        let panel = DifficultPanel(rows: reference.rows, seed: reference.seed)
        #expect(relativeDifference(panel.y.reduce(0, +), reference.checksums.y_sum) < 1e-9)
        #expect(relativeDifference(panel.x1.reduce(0, +), reference.checksums.x1_sum) < 1e-9)
        #expect(panel.firm.reduce(0, +) == reference.checksums.firm_sum)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-difficult-\(UUID().uuidString).csv").path
        try panel.csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (name, formula) in [("indiv+firm", "y ~ x1 + x2 | indiv + firm"), ("indiv+firm+year", "y ~ x1 + x2 | indiv + firm + year")] {
            let model = try #require(reference.models[name])
            let (fit, covariance) = try Self.fit(formula, path: path)
            #expect(fit.redundantFixedEffects == name.split(separator: "+").count - 1)
            #expect(fit.absorptionStage == "conjugate gradient, envelope factor", "\(name)")
            for (index, term) in fit.coefficientNames.enumerated() {
                let coefficient = try #require(model.coefficients[term]), error = try #require(model.std_errors[term])
                #expect(relativeDifference(fit.coefficients[index], coefficient) < 1e-8, "\(name) \(term)")
                #expect(relativeDifference(covariance.standardErrors[index], error) < 1e-6, "\(name) \(term) SE")
            }
        }
    }

    /// The decoupled-hub factor (the path 10^8-row panels take, where the years' dense rows do
    /// not fit) reaches the LSQR reference too: the 10^5-row panel's two years are hub levels,
    /// and a budget just below the full factor forces the decoupling.
    @Test func decoupledHubsMatchTheReference() throws {
        let reference = try Self.reference()
        let model = try #require(reference.models["indiv+firm+year"])
        let panel = DifficultPanel(rows: reference.rows, seed: reference.seed)
        let factors = [
            Factor(name: "indiv", keys: panel.indiv.map(Int64.init)), Factor(name: "firm", keys: panel.firm.map(Int64.init)),
            Factor(name: "year", keys: panel.year.map(Int64.init)),
        ]
        let full = try #require(ReducedFixedEffectSystem(factors: factors, weights: nil).factor)
        var absorber = FixedEffectAbsorber(factors: factors, weights: nil, tolerance: 1e-8)
        absorber.envelopeBudget = try #require(full.start.last) - 1
        var response = panel.y
        var design = Matrix(columns: [panel.x1, panel.x2], rows: panel.y.count)
        let report = try absorber.absorbReporting(response: &response, responseName: "y", design: &design,
                                                  columnNames: ["x1", "x2"], threads: 2)
        #expect(report.stage == "conjugate gradient, envelope factor with hub levels decoupled")
        // The two slopes from the demeaned columns' normal equations.
        let rows = panel.y.count
        let x1 = Array(design.values[0..<rows]), x2 = Array(design.values[rows..<(2 * rows)])
        let dot = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let (a, b, c) = (dot(x1, x1), dot(x1, x2), dot(x2, x2))
        let (u, v) = (dot(x1, response), dot(x2, response))
        let determinant = a * c - b * b
        let slopes = ["x1": (c * u - b * v) / determinant, "x2": (a * v - b * u) / determinant]
        for (term, slope) in slopes {
            #expect(relativeDifference(slope, try #require(model.coefficients[term])) < 1e-8, "\(term)")
        }
    }

    /// Two components: firms {0, 1} with workers {0, 1}, firm {2} with workers {2, 3}.
    @Test func redundantLevelsAreTheConnectedComponents() {
        let worker = Factor(name: "worker", denseCodes: [0, 0, 1, 1, 2, 3], levelCount: 4)
        let firm = Factor(name: "firm", denseCodes: [0, 1, 1, 0, 2, 2], levelCount: 3)
        #expect(FixedEffectRedundancy.connectedComponents(worker, firm) == 2)
        #expect(FixedEffectRedundancy.redundantCount([worker, firm]) == 2)
        let year = Factor(name: "year", denseCodes: [0, 1, 0, 1, 0, 1], levelCount: 2)
        #expect(FixedEffectRedundancy.redundantCount([worker, firm, year]) == 3)
        #expect(FixedEffectRedundancy.redundantCount([worker]) == 0)
        // Joining the components with one more observation leaves one.
        let joinedWorker = Factor(name: "worker", denseCodes: worker.codes + [3], levelCount: 4)
        let joinedFirm = Factor(name: "firm", denseCodes: firm.codes + [0], levelCount: 3)
        #expect(FixedEffectRedundancy.connectedComponents(joinedWorker, joinedFirm) == 1)
    }

    /// On a disconnected graph the degrees of freedom count one redundant level per component:
    /// the residual variance divides by N − K with K = slopes + Σ levels − components.
    @Test func disconnectedGraphCountsComponentsInTheDegreesOfFreedom() throws {
        var text = "worker,firm,x,y\n"
        var stream = DifficultPanel.Stream(state: 7)
        for row in 0..<400 {
            let component = row % 2
            let worker = component * 50 + Int(stream.next() % 50)
            let firm = component * 5 + Int(stream.next() % 5)
            let x = Double(stream.next() % 1000) / 100
            text += "\(worker),\(firm),\(x),\(x + Double(firm) + Double(stream.next() % 100) / 10)\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-components-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(path: path)
        let frame = try ModelFrame(table: table, formula: try ModelFormula.parse("y ~ x | worker + firm"),
                                   options: ModelFrameOptions(weights: nil, clusters: [], removeSingletons: false))
        let fit = try LinearModel.fit(frame, options: LinearModelOptions(fixedEffectTolerance: 1e-10, threads: 1))
        #expect(fit.redundantFixedEffects == 2)
        let levels = fit.fixedEffects.reduce(0) { $0 + $1.levelCount }
        #expect(fit.fixedEffectParameters == levels - 2)
        #expect(fit.parameterCount == 1 + levels - 2)
    }

    /// A chain graph goes through the conjugate-gradient stage (with the envelope factor) and
    /// leaves level sums of zero, as alternating projections would.
    @Test func krylovStageLeavesZeroLevelSums() throws {
        let panel = DifficultPanel(rows: 20_000, seed: 3)
        let indiv = Factor(name: "indiv", keys: panel.indiv.map(Int64.init))
        let firm = Factor(name: "firm", keys: panel.firm.map(Int64.init))
        let system = ReducedFixedEffectSystem(factors: [indiv, firm], weights: nil)
        #expect(system.factor != nil)
        var absorber = FixedEffectAbsorber(factors: [indiv, firm], weights: nil, tolerance: 1e-10)
        absorber.sweepsBeforeKrylov = 4
        var column = panel.y
        let sweeps = try column.withUnsafeMutableBufferPointer { try absorber.absorb($0, name: "y") }
        #expect(sweeps < 60)
        for factor in [indiv, firm] {
            var sums = [Double](repeating: 0, count: factor.levelCount)
            for index in 0..<column.count { sums[Int(factor.codes[index])] += column[index] }
            #expect((sums.map(abs).max() ?? .infinity) < 1e-7, "level sums of \(factor.name)")
        }
    }

    /// When the hub levels' full rows (a few years adjacent to every firm) would exceed the
    /// envelope budget, the factor keeps only their diagonal; CG with that preconditioner still
    /// reaches the same demeaned column in a handful of steps.
    @Test func decoupledHubsPreconditionAsWell() throws {
        let panel = DifficultPanel(rows: 40_000, seed: 5)
        var stream = DifficultPanel.Stream(state: 11)
        let indiv = Factor(name: "indiv", keys: panel.indiv.map(Int64.init))
        let firm = Factor(name: "firm", keys: panel.firm.map(Int64.init))
        let year = Factor(name: "year", keys: stream.integers(panel.y.count, below: 8).map(Int64.init))
        let factors = [indiv, firm, year]
        let full = try #require(ReducedFixedEffectSystem(factors: factors, weights: nil).factor)
        #expect(full.decoupledFrom == full.first.count)
        let fullEntries = try #require(full.start.last)
        let decoupled = try #require(ReducedFixedEffectSystem(factors: factors, weights: nil, envelopeBudget: fullEntries - 1).factor)
        #expect(decoupled.decoupledFrom == full.first.count - 8)
        #expect(try #require(decoupled.start.last) < fullEntries - 8 * 200)
        var results: [[Double]] = []
        var steps: [Int] = []
        // The full factor, the decoupled one, and none (the diagonal).
        for budget in [nil, fullEntries - 1, 16] {
            var absorber = FixedEffectAbsorber(factors: factors, weights: nil, tolerance: 1e-11)
            absorber.sweepsBeforeKrylov = 4
            absorber.envelopeBudget = budget
            var column = panel.y
            steps.append(try column.withUnsafeMutableBufferPointer { try absorber.absorb($0, name: "y") })
            results.append(column)
        }
        // 4 sweeps, then 3 CG steps with the full factor and 8 with the decoupled one.
        #expect(steps[0] < 10 && steps[1] < 16 && steps[1] < steps[2], "\(steps)")
        for other in results.dropFirst() {
            #expect((zip(results[0], other).map { abs($0 - $1) }.max() ?? .infinity) < 1e-8)
        }
    }
}
