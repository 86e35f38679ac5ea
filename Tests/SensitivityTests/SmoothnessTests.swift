import LinearAlgebra
import Testing
import QuipuTestSupport
@testable import Sensitivity

/// The smoothness FLCI against moderndid 0.2.0's `compute_flci` (R HonestDiD's port) on mpdta's
/// Callaway–Sant'Anna event study with a universal base period and on an event study of our own
/// (Tests/Fixtures/sensitivity/make_sd_reference.py).
@Suite struct SmoothnessTests {
    struct Reference: Decodable {
        struct Bounds: Decodable { let lower: Double; let upper: Double }
        struct Point: Decodable { let m: Double; let lower: Double; let upper: Double }
        struct Target: Decodable { let target: String; let weights: [Double]; let original: Bounds; let intervals: [Point] }
        struct Case: Decodable {
            let name: String
            let event_times: [Int]
            let estimates: [Double]
            let covariance: [[Double]]
            let pre_count: Int
            let default_grid: [Double]
            let targets: [Target]
        }
        let cases: [Case]
    }

    static func reference() throws -> Reference {
        try Fixture.decode(Reference.self, from: "Tests/Fixtures/sensitivity/sd_reference.json")
    }

    static func problem(_ reference: Reference.Case, weights: [Double], label: String = "target") throws -> SensitivityProblem {
        let count = reference.estimates.count
        var sigma = Matrix(rows: count, columns: count)
        for i in 0..<count { for j in 0..<count { sigma[i, j] = reference.covariance[i][j] } }
        return try SensitivityProblem(eventTimes: reference.event_times, estimates: reference.estimates, covariance: sigma,
                                      preCount: reference.pre_count, targetWeights: weights, targetLabel: label)
    }

    @Test(arguments: ["mpdta", "own"])
    func flciEqualsModernDiD(_ name: String) throws {
        let file = try Self.reference()
        let reference = try #require(file.cases.first { $0.name == name })
        for target in reference.targets {
            let problem = try Self.problem(reference, weights: target.weights, label: target.target)
            let curve = try SmoothnessSensitivity.curve(problem: problem, grid: target.intervals.map(\.m))
            #expect(isClose(curve.original.lower, target.original.lower, absolute: 1e-10))
            #expect(isClose(curve.original.upper, target.original.upper, absolute: 1e-10))
            for (mine, theirs) in zip(curve.intervals, target.intervals) {
                #expect(abs(mine.lower - theirs.lower) <= 1e-4, "\(name) \(target.target) M=\(theirs.m) lower \(mine.lower) vs \(theirs.lower)")
                #expect(abs(mine.upper - theirs.upper) <= 1e-4, "\(name) \(target.target) M=\(theirs.m) upper \(mine.upper) vs \(theirs.upper)")
            }
        }
    }

    @Test(arguments: ["mpdta", "own"])
    func defaultGridIsHonestDiDs(_ name: String) throws {
        let file = try Self.reference()
        let reference = try #require(file.cases.first { $0.name == name })
        let posts = reference.estimates.count - reference.pre_count
        let grid = SmoothnessSensitivity.defaultGrid(for: try Self.problem(reference, weights: [1] + Array(repeating: 0, count: posts - 1)))
        #expect(grid.count == reference.default_grid.count)
        for (mine, theirs) in zip(grid, reference.default_grid) { #expect(isClose(mine, theirs, relative: 1e-10, absolute: 1e-14)) }
    }

    @Test func intervalsWidenWithMAndBadGridsAreErrors() throws {
        let file = try Self.reference()
        let reference = try #require(file.cases.first { $0.name == "own" })
        let problem = try Self.problem(reference, weights: [1, 0, 0])
        let curve = try SmoothnessSensitivity.curve(problem: problem, grid: [0, 0.01, 0.05, 0.2])
        for (narrow, wide) in zip(curve.intervals, curve.intervals.dropFirst()) {
            #expect(wide.upper - wide.lower >= narrow.upper - narrow.lower)
        }
        #expect(throws: SensitivityError.negativeBound(-0.5)) { try SmoothnessSensitivity.curve(problem: problem, grid: [0, -0.5]) }
        #expect(throws: SensitivityError.emptyGrid) { try SmoothnessSensitivity.curve(problem: problem, grid: []) }
        #expect(throws: SensitivityError.self) { try SmoothnessSensitivity.curve(problem: problem, grid: [0], method: .conditional) }
    }

    @Test func onePrePeriodNeedsNoSearch() throws {
        // With one pre-period (t = −1 before the omitted reference) the estimator is fixed: a linear
        // trend δ_t = s·t gives δ_{−1} = −s and δ_1 = s, so β̂_1 + β̂_{−1} removes it; the half-length
        // is cv(M·bias/σ)·σ with bias = 1 (HonestDiD's constant 0 plus |c|, c = 1).
        var sigma = Matrix.identity(2)
        sigma[0, 0] = 0.01; sigma[1, 1] = 0.04; sigma[0, 1] = 0.005; sigma[1, 0] = 0.005
        let problem = try SensitivityProblem(eventTimes: [-2, 0], estimates: [0.1, 0.5], covariance: sigma, preCount: 1,
                                             targetWeights: [1], targetLabel: "e0")
        let curve = try SmoothnessSensitivity.curve(problem: problem, grid: [0, 0.2])
        let sd = (0.01 + 0.04 + 2 * 0.005).squareRoot()
        #expect(isClose(curve.intervals[0].lower, 0.6 - 1.959963984540054 * sd, relative: 1e-9))
        let half = FoldedNormal.quantile(0.95, mean: 0.2 / sd) * sd
        #expect(isClose(curve.intervals[1].upper, 0.6 + half, relative: 1e-9))
        #expect(isClose(FoldedNormal.cdf(half / sd, mean: 0.2 / sd), 0.95, relative: 1e-12))
    }
}
