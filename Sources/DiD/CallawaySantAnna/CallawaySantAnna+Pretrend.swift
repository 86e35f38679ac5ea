// Callaway–Sant'Anna's pre-trend test: the event-time leads are zero, read against Hotelling's
// small-sample reference on the treated units.
//
// Goals, in order:
// 1. A test that does not reject where trends are parallel. Until issue 23 quipu tested every
//    pre-treatment ATT(g,t) jointly, as R did's `att_gt` Wald pre-test does (W = n·b′V⁻¹b against
//    χ²(q)). With small cohorts that test is meaningless: a cohort of k firms measures at most
//    k − 1 directions of its pre-period cells, a one-firm cell none (its influence function has no
//    treated variation), so V's smallest directions hold only the comparison units' variance, and
//    the statistic reached F(63, 541) = 15,770 on the simulated Peru panel whose PUM trends are
//    parallel (PretrendLeads' opening comment). quipu now tests the event-time leads, the
//    `dynamic` aggregates before treatment (e < 0; with the universal base period e = −1 is the
//    reference and has no standard error), as the event-study pre-tests of practice do: R did's
//    `aggte(type = "dynamic")` leads and HonestDiD's pre-period coefficients (Rambachan & Roth
//    2023), Roth (2022, "Pretest with caution", AER: Insights) on their power, and quipu's own
//    Sun–Abraham and extended-TWFE tests. Each lead pools the cohorts that have it, so its
//    variance is estimated from all their firms. Leads on fewer than 10 treated units are left out
//    and named (PretrendLeads).
// 2. The right reference distribution. The leads' covariance is estimated from the treated
//    units' influence values (the comparison units, hundreds of them, add little), so W = b′V⁻b
//    with V estimated on ν = N − m degrees of freedom (N treated units of the m cohorts behind
//    the tested leads, one mean per cohort estimated) is Hotelling's T²: under normality
//    T² · (ν − q + 1) / (ν q) ~ F(q, ν − q + 1) (Hotelling 1931; the same form as the approximate
//    Hotelling test of cluster-robust Wald tests, Pustejovsky & Tipton 2018, JBES 36(4)). Against
//    F(q, G − 1), as before, the 27 CBI firms' 10 leads rejected parallel trends on 35–45% of 20
//    simulated panels whose trends are parallel; against Hotelling on 0–5%. With too few treated
//    units for the leads (ν − q + 1 < 1) there is no statistic, and the note says why.

import Inference
import Primitives

extension CallawaySantAnna {
    /// The joint test that the event-time leads are zero: thin leads left out (PretrendLeads),
    /// Hotelling's small-sample F on the treated units behind the rest. Nil when the panel has no
    /// pre-treatment cell.
    static func pretrendTest(_ result: StaggeredResult) -> WaldTestResult? {
        let estimates = result.estimates
        let preCells = estimates.indices.filter { estimates[$0].kind == .attGT && (estimates[$0].eventTime ?? 0) < 0 }
        let leads = estimates.indices.filter {
            estimates[$0].kind == .dynamic && !estimates[$0].isOverall && (estimates[$0].eventTime ?? 0) < 0 && result.standardErrors[$0].isFinite
        }
        guard !leads.isEmpty else {
            guard preCells.contains(where: { result.standardErrors[$0].isFinite }) else { return nil }
            return WaldTestResult(statistic: .nan, numeratorDegrees: 0, denominatorDegrees: result.degreesOfFreedom, pValue: .nan,
                                  undefined: .noEstimates, description: "the event-time leads are zero",
                                  note: "no statistic: the test reads the event-time leads, which --aggregate did not ask for (add dynamic)")
        }
        let span = PretrendLeads.split(estimates, candidates: leads).tested.compactMap { estimates[$0].eventTime }
        let description = span.isEmpty ? "the event-time leads are zero" : "the event-time leads \(span.min() ?? 0)…\(span.max() ?? 0) are zero"
        guard let test = result.leadTest(candidates: leads, description: description) else { return nil }
        guard test.statistic.isFinite else { return test }
        // The treated units behind the tested leads: the cohorts with a pre-period cell at one of
        // their event times, each counted at its largest cell.
        let testedTimes = Set(leads.filter { !test.excluded.contains(estimates[$0].label) }.compactMap { estimates[$0].eventTime })
        var cohortUnits = [Int: Int]()
        for index in preCells where estimates[index].estimate.isFinite && testedTimes.contains(estimates[index].eventTime ?? 0) {
            let cell = estimates[index]
            cohortUnits[cell.group ?? 0] = max(cohortUnits[cell.group ?? 0] ?? 0, cell.treatedUnits)
        }
        let treated = cohortUnits.values.reduce(0, +), cohorts = cohortUnits.count
        let q = test.numeratorDegrees
        let quadratic = test.denominatorDegrees == nil ? test.statistic : test.statistic * Double(q)
        let nu = treated - cohorts
        let denominator = nu - q + 1
        let basis = "\(treated) treated units in \(cohorts) cohort\(cohorts == 1 ? "" : "s")"
        guard denominator >= 1 else {
            var none = WaldTestResult(statistic: .nan, numeratorDegrees: q, denominatorDegrees: nil, pValue: .nan, undefined: .noEstimates,
                                      description: description + " (Hotelling F)",
                                      note: ([test.note].compactMap { $0 } + ["no statistic: \(q) leads need more than \(basis) (ν = \(nu), Hotelling's T² needs ν ≥ q)"]).joined(separator: "; "))
            none.excluded = test.excluded
            return none
        }
        let statistic = quadratic * Double(denominator) / (Double(nu) * Double(q))
        var hotelling = WaldTestResult(statistic: statistic, numeratorDegrees: q, denominatorDegrees: Double(denominator),
                                       pValue: FDistribution(numerator: Double(q), denominator: Double(denominator)).survival(statistic),
                                       description: description + " (Hotelling F on \(basis))", note: test.note)
        hotelling.excluded = test.excluded
        return hotelling
    }
}
