import Foundation
import Inference
import QuipuTestSupport
import Testing

/// Holm, Benjamini–Hochberg and Anderson's sharpened q-values against
/// Tests/Fixtures/multiplicity/multiplicity_reference.json (statsmodels 0.15.0 `multipletests`,
/// and a transcription of Anderson's Stata loop), and the step-down bootstrap adjustments against
/// small cases worked by hand.
@Suite struct MultipleTestingTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let p: [Double]
            let holm: [Double]
            let bh: [Double]
            let sharpened: [Double]
            let tsbky_rejections: [String: [Bool]]
        }
        let pvalue_cases: [Case]
        let levels: [Double]
    }

    func reference() throws -> Reference {
        try Fixture.decode(Reference.self, from: "Tests/Fixtures/multiplicity/multiplicity_reference.json")
    }

    @Test("Holm and Benjamini–Hochberg equal statsmodels' multipletests, ties, zeros and ones included")
    func holmAndBenjaminiHochberg() throws {
        let cases = try reference().pvalue_cases
        #expect(cases.count >= 5)
        for item in cases {
            let holm = MultipleTesting.holm(item.p), bh = MultipleTesting.benjaminiHochberg(item.p)
            for index in item.p.indices {
                #expect(isClose(holm[index], item.holm[index], relative: 1e-12), "\(item.name) Holm #\(index)")
                #expect(isClose(bh[index], item.bh[index], relative: 1e-12), "\(item.name) BH #\(index)")
            }
        }
    }

    @Test("sharpened q-values equal Anderson's loop, and their rejections statsmodels' fdr_tsbky at every level")
    func sharpenedQValues() throws {
        let reference = try reference()
        for item in reference.pvalue_cases {
            let q = MultipleTesting.sharpenedQValues(item.p)
            for index in item.p.indices {
                #expect(abs(q[index] - item.sharpened[index]) < 1e-9, "\(item.name) q #\(index): \(q[index]) vs \(item.sharpened[index])")
            }
            for level in reference.levels {
                let key = "\(level)"
                let expected = try #require(item.tsbky_rejections[key], "no rejections at \(key) in \(item.name)")
                #expect(MultipleTesting.twoStageRejections(item.p, level: level) == expected, "\(item.name) at \(key)")
            }
        }
    }

    @Test("undefined p-values are not members: they stay NaN and do not count in the family's size")
    func undefinedPValues() {
        let holm = MultipleTesting.holm([0.01, .nan, 0.04])
        #expect(holm[1].isNaN)
        #expect(isClose(holm[0], 0.02, relative: 1e-12) && isClose(holm[2], 0.04, relative: 1e-12))
        #expect(MultipleTesting.sharpenedQValues([.nan])[0].isNaN)
        #expect(MultipleTesting.benjaminiHochberg([]).isEmpty)
    }

    /// Two members, four replicates, worked by hand. Romano–Wolf: member 0 (|t| = 3) first, the
    /// replicates' max |t*| over both are 1, 2.5, 3, 0.5: one reaches 3, p = (1 + 1)/5 = 0.4;
    /// member 1 (|t| = 1) against member 1 alone: 0.5, 0.2, 3, 0.5, one reaches 1, p = 0.4, and the
    /// running maximum keeps 0.4. Westfall–Young with the normal as reference: the min-p of a
    /// replicate is the p of its max |t*|, so member 0 counts 1 of 4 (0.25) and member 1 the
    /// replicates whose own |t*| ≥ 1: 1 of 4, kept at 0.25.
    @Test("Romano–Wolf and Westfall–Young step down as worked by hand")
    func stepDownByHand() {
        let draws = BootstrapDraws(values: [1, 0.5, 2.5, 0.2, 0.1, -3, -0.5, 0.5], count: 4, width: 2)
        let rw = MultipleTesting.romanoWolf(statistics: [3, -1], draws: draws)
        #expect(isClose(rw[0], 0.4, relative: 1e-12) && isClose(rw[1], 0.4, relative: 1e-12))
        let wy = MultipleTesting.westfallYoung(statistics: [3, -1], draws: draws, distributions: [.standardNormal, .standardNormal])
        #expect(isClose(wy[0], 0.25, relative: 1e-12) && isClose(wy[1], 0.25, relative: 1e-12))
        // A smaller second statistic is stepped past only after the first: with t = (3, 0.1) the
        // second's max over itself (0.5, 0.2, 3, 0.5) reaches 0.1 every time: p = 5/5 = 1.
        let later = MultipleTesting.romanoWolf(statistics: [3, 0.1], draws: draws)
        #expect(later[1] == 1)
    }
}
