import QuipuTestSupport
import Testing
@testable import Simulation

/// Issue 21, point 2: whether the simulator's parallel trends hold, measured on the untreated
/// potential outcomes it knows (the imputation estimator's bias where the true effect is 0).
///
/// Without any support, supported and comparison firms trend alike (selection and closures look
/// only at time-invariant traits). A programme's counterfactual keeps the other programme,
/// though, and the programmes overlap: CBI firms carry more of PUM's growing effects than their
/// comparison firms, so CBI's untreated log sales drift up — the +0.04 that imputation and TWFE
/// showed on CBI log sales — while leaving the other programme's firms out removes it. The gaps
/// are averaged over seeds; the paired difference (same firms, same noise) is sharp.
@Suite("Parallel trends", .tags(.slow))
struct ParallelTrendsTests {
    static let seeds: [UInt64] = [101, 102, 103, 104, 105, 106]

    struct Gaps {
        var withoutSupport = 0.0, otherAsItWas = 0.0, otherLeftOut = 0.0
    }

    /// The mean gaps of `programme`'s untreated `outcome` over the seeds.
    static func gaps(_ programme: Programme, _ outcome: Outcome) throws -> Gaps {
        var total = Gaps()
        for seed in seeds {
            let simulation = try PeruSimulation.generate(options(seed: seed))
            let potential = PotentialOutcomes(simulation)
            let untreated = potential.column(outcome, programme == .cbi ? .withoutCBI : .withoutPUM)
            let otherLeftOut: (FirmYearRecord) -> Bool = programme == .cbi ? { $0.pumCohort == 0 } : { $0.cbiStart == 0 }
            let records = simulation.records
            total.withoutSupport += UntreatedGap(records, potential.column(outcome, .none), programme: programme).imputation()
            total.otherAsItWas += UntreatedGap(records, untreated, programme: programme).imputation()
            total.otherLeftOut += UntreatedGap(records, untreated, programme: programme, keep: otherLeftOut).imputation()
        }
        let count = Double(seeds.count)
        return Gaps(withoutSupport: total.withoutSupport / count, otherAsItWas: total.otherAsItWas / count,
                    otherLeftOut: total.otherLeftOut / count)
    }

    @Test func cbiSalesDriftWithPUMsEffectsOnly() throws {
        let gaps = try Self.gaps(.cbi, .sales)
        #expect(abs(gaps.withoutSupport) < 0.015, "no support: \(gaps.withoutSupport)")
        #expect(gaps.otherAsItWas - gaps.withoutSupport > 0.02, "PUM as it was: \(gaps.otherAsItWas)")
        #expect(abs(gaps.otherLeftOut) < 0.015, "PUM firms left out: \(gaps.otherLeftOut)")
    }

    @Test func pumPermanentJobsDriftWithCBIsEffectsOnly() throws {
        let gaps = try Self.gaps(.pum, .empPermanent)
        #expect(abs(gaps.withoutSupport) < 0.005, "no support: \(gaps.withoutSupport)")
        #expect(gaps.otherAsItWas - gaps.withoutSupport > 0.004, "CBI as it was: \(gaps.otherAsItWas)")
        #expect(abs(gaps.otherLeftOut) < 0.005, "CBI firms left out: \(gaps.otherLeftOut)")
    }
}
