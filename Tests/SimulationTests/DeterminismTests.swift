import Foundation
import Primitives
import Testing
@testable import Simulation

@Suite("Determinism")
struct DeterminismTests {
    @Test func twoRunsAreByteIdentical() throws {
        let first = try PeruSimulation.generate(options(seed: 7))
        let second = try PeruSimulation.generate(options(seed: 7))
        #expect(first.csv() == second.csv())
        #expect(first.truthCSV() == second.truthCSV())
        #expect(first.truthJSON() == second.truthJSON())
    }

    @Test func differentSeedsDiffer() throws {
        let first = try PeruSimulation.generate(options(seed: 1))
        let second = try PeruSimulation.generate(options(seed: 2))
        #expect(first.csv() != second.csv())
        #expect(first.truthCSV() != second.truthCSV())
    }

    /// Pins the exact bytes of the default outputs. If this fails on another machine, some
    /// arithmetic is platform-dependent; if it fails after a deliberate model change, update
    /// the constants (and the dataset README's figures).
    @Test func defaultOutputFingerprints() throws {
        let simulation = try #require(defaultRun)
        #expect(simulation.rows == 6891)
        #expect(fingerprint(simulation.csv()) == 13_300_213_236_973_781_402)
        #expect(fingerprint(simulation.truthCSV()) == 14_991_257_137_359_546_837)
        // Issue 20: the truth JSON gained its `schema_version` line (written through the one JSON
        // writer, byte-identical otherwise). Issue 21: it records the design knobs under `options`
        // and says under `design.parallel_trends` where parallel trends hold; panel and truth CSV
        // are unchanged (their fingerprints above are the old ones). Version "2.0" since issue 20's
        // did JSON change; "2.1" since issue 23 added keys (covariances, pretrend_power), "2.2" when
        // it added more (a pre-trend test's excluded leads, the report's trust): only the version
        // line changed. Issue 24: each aggregate group gained `quantile_effects` and the
        // definitions a `quantile_effects` entry (keys added only; panel and truth CSV unchanged).
        #expect(fingerprint(simulation.truthJSON()) == 13_386_665_718_827_762_591)
    }

    /// Keyed random streams make a shorter window an exact slice of the default panel.
    @Test func shorterWindowIsASliceOfTheDefaultPanel() throws {
        let full = try #require(defaultRun)
        let window = try PeruSimulation.generate(options(years: 2008...2016))
        let slice = full.records.filter { (2008...2016).contains($0.year) }
        #expect(window.records == slice)
    }

    @Test func longerWindowKeepsTheCoreYears() throws {
        let full = try #require(defaultRun)
        let longer = try PeruSimulation.generate(options(years: 2004...2020))
        #expect(longer.records.filter { $0.year <= 2018 } == full.records)
        #expect(longer.records.contains { $0.year == 2020 })
    }

    @Test func deterministicMathMatchesLibm() {
        var x = -40.0
        while x < 40 {
            #expect(abs(DeterministicMath.exp(x) / Foundation.exp(x) - 1) < 1e-14, "exp(\(x))")
            x += 0.37
        }
        for value in [1e-300, 1e-12, 0.001, 0.5, 1, 1.5, 2, 10, 12_345.678, 1e12, 1e300] {
            #expect(abs(DeterministicMath.log(value) - Foundation.log(value)) <= 1e-14 * max(1, abs(Foundation.log(value))), "log(\(value))")
        }
        #expect(DeterministicMath.log(1) == 0)
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.exp(800) == .infinity)
        #expect(DeterministicMath.exp(-800) == 0)
    }

    @Test func normalDrawsHaveUnitMoments() {
        var random = RandomStream(seed: 42)
        let draws = (0..<200_000).map { _ in random.normal() }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
    }

    @Test func fixedPointFormatting() {
        #expect(FixedPoint.format(0.1234565, decimals: 6) == "0.123457")
        #expect(FixedPoint.format(-0.0000001, decimals: 6) == "0.000000")
        #expect(FixedPoint.format(-1.5, decimals: 3) == "-1.500")
        #expect(FixedPoint.format(-0.05, decimals: 2) == "-0.05")
        #expect(FixedPoint.format(48375.2244, decimals: 3) == "48375.224")
        #expect(FixedPoint.format(.nan, decimals: 3) == "")
        #expect(FixedPoint.format(7, decimals: 0) == "7")
    }
}
