import Power
import QuipuTestSupport
import Testing

/// The simulated MDE is read off the curve where it crosses the target, and only there.
@Suite struct PowerCurveTests {
    static func curve(_ powers: [Double], target: Double = 0.8) -> PowerCurve {
        PowerCurve(points: powers.enumerated().map {
            PowerCurve.Point(effect: Double($0.offset) * 0.1, power: $0.element, replicates: 500, failures: 0, meanEstimate: .nan)
        }, targetPower: target)
    }

    @Test func interpolatesBetweenTheTwoPointsAroundTheTarget() throws {
        // 0.6 at 0.2 and 0.9 at 0.3: 0.8 lies two thirds of the way, at 0.2667.
        let mde = try #require(Self.curve([0.05, 0.3, 0.6, 0.9, 1]).minimumDetectableEffect)
        expectClose(mde, 0.2 + 0.1 * 2 / 3, relative: 1e-12)
        // A crossing exactly at a grid point is that point.
        expectClose(Self.curve([0.05, 0.8, 0.95]).minimumDetectableEffect, 0.1, relative: 1e-12)
    }

    @Test func aGridThatDoesNotBracketTheTargetHasNoMDE() {
        #expect(Self.curve([0.05, 0.3, 0.6]).minimumDetectableEffect == nil)
        #expect(Self.curve([0.85, 0.9, 1]).minimumDetectableEffect == nil)
    }

    @Test func monteCarloErrorIsTheBinomialOne() {
        let point = PowerCurve.Point(effect: 0, power: 0.2, replicates: 400, failures: 0, meanEstimate: 0)
        expectClose(point.monteCarloError, 0.02, relative: 1e-12)
    }
}
