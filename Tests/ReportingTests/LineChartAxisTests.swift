import Foundation
import Testing
@testable import Reporting

/// Axes span the data with 1-2-5 ticks and label them readably.
@Suite struct LineChartAxisTests {
    /// Whether `step` is 1, 2 or 5 times a power of ten.
    static func isNice(_ step: Double) -> Bool {
        let mantissa = step / pow(10, floor(log10(step)))
        return [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-9 }
    }

    static let ranges: [[Double]] = [
        [0, 1], [0, 100], [-3.7, 12.2], [0.001, 0.0042], [2004, 2017], [1_200_000, 4_000_000],
        [-5e9, 2e9], [17, 17.000001], [-0.5, -0.1], [3], [0], [-250], [1e-9, 3e-9], [99_999, 100_001],
    ]

    @Test(arguments: ranges)
    func ticksAreNiceAndInsideARangeCoveringTheData(values: [Double]) throws {
        let axis = LineChartAxis(values: values, length: 300, spacing: 50, integers: false)
        let low = try #require(values.min()), high = try #require(values.max())
        #expect(axis.lower <= low && axis.upper >= high)
        #expect(axis.lower < axis.upper)
        #expect(Self.isNice(axis.step), "step \(axis.step)")
        #expect((2...12).contains(axis.ticks.count), "ticks \(axis.ticks)")
        for tick in axis.ticks {
            #expect(tick >= axis.lower && tick <= axis.upper)
            let multiple = tick / axis.step
            #expect(abs(multiple - multiple.rounded()) < 1e-6, "tick \(tick) is not a multiple of \(axis.step)")
        }
        #expect(axis.labels.count == axis.ticks.count)
        #expect(Set(axis.labels).count == axis.labels.count, "labels must tell ticks apart: \(axis.labels)")
    }

    @Test func padsTheDataSoExtremePointsClearTheFrame() {
        let axis = LineChartAxis(values: [0, 100], length: 300, spacing: 50, integers: false)
        #expect(axis.lower < 0 && axis.upper > 100)
        #expect(axis.ticks == [0, 20, 40, 60, 80, 100])
    }

    @Test func yearsGetWholeNumberTicksWithoutSeparators() {
        let axis = LineChartAxis(values: [2004, 2005], length: 600, spacing: 40, integers: true)
        #expect(axis.ticks.allSatisfy { $0 == $0.rounded() })
        #expect(axis.labels.contains("2004") && axis.labels.contains("2005"))
        #expect(!axis.labels.contains { $0.contains(",") || $0.contains(".") })
    }

    @Test func aSingleYearGetsItsNeighbours() {
        let axis = LineChartAxis(values: [2010], length: 400, spacing: 80, integers: true)
        #expect(axis.ticks == [2009, 2010, 2011])
    }

    @Test func crowdedLabelsWidenTheStep() {
        let width: (String) -> Double = { Double($0.count) * 7 }
        let axis = LineChartAxis(values: [1990, 2020], length: 200, spacing: 10, integers: true, labelWidth: width)
        let gap = axis.step / (axis.upper - axis.lower) * 200
        #expect(gap >= 28 + 12)
        #expect(Self.isNice(axis.step))
    }

    static let labelCases: [(ticks: [Double], step: Double, expected: [String])] = [
        ([0.0, 0.5, 1.0], 0.5, ["0.0", "0.5", "1.0"]),
        ([-10.0, 0, 10], 10, ["\u{2212}10", "0", "10"]),
        ([2000.0, 2005, 2010], 5, ["2000", "2005", "2010"]),
        ([0.0, 25_000, 50_000], 25_000, ["0", "25,000", "50,000"]),
        ([1_000_000.0, 2_500_000, 4_000_000], 500_000, ["1.0M", "2.5M", "4.0M"]),
        ([0.0, 2e6, 4e6], 2e6, ["0", "2M", "4M"]),
        ([-2e9, 0, 2e9], 2e9, ["\u{2212}2B", "0", "2B"]),
        ([0.001, 0.002], 0.001, ["0.001", "0.002"]),
        ([0.1 + 0.2, 0.4], 0.1, ["0.3", "0.4"]),
        ([1e16, 2e16], 1e16, ["1e+16", "2e+16"]),
    ]

    @Test(arguments: labelCases)
    func labelsAreCompact(ticks: [Double], step: Double, expected: [String]) {
        #expect(LineChartAxis.labels(for: ticks, step: step) == expected)
    }

    @Test(arguments: [(0.75, 1.0), (0.7, 0.5), (1.4, 1.0), (1.6, 2.0), (2.2, 2.0), (3.3, 5.0), (7.5, 10.0), (0.031, 0.02), (420.0, 500.0)])
    func nearestNiceStep(raw: Double, expected: Double) {
        #expect(abs(LineChartAxis.niceStep(near: raw, integers: false) - expected) < 1e-12)
    }

    @Test func integerStepsNeverGoBelowOne() {
        #expect(LineChartAxis.niceStep(near: 0.2, integers: true) == 1)
        #expect(LineChartAxis.niceStep(atLeast: 0.2, integers: true) == 1)
        #expect(LineChartAxis.niceStep(atLeast: 1.2, integers: true) == 2)
    }

    @Test func degenerateInputsDoNotTrap() {
        for values in [[], [Double.nan], [.infinity, -.infinity], [1e308, -1e308]] {
            let axis = LineChartAxis(values: values, length: 300, spacing: 50, integers: false)
            #expect(axis.lower.isFinite && axis.upper.isFinite && axis.lower < axis.upper)
            #expect(axis.position(axis.lower, from: 0, to: 100).isFinite)
        }
        let collapsed = LineChartAxis(values: [1, 2], length: 0, spacing: 0, integers: false)
        #expect(collapsed.ticks.count >= 1)
        #expect(LineChartAxis.ticks(from: 0, to: 1e12, step: 1).isEmpty)
        #expect(LineChartAxis.ticks(from: 0, to: 1, step: .nan).isEmpty)
    }
}
