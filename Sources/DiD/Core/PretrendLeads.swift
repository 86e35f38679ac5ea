// Which leads a pre-trend test tests: never leads that rest on so few treated units that the
// standard errors cannot measure their own variation.
//
// The problem (issue 23, the Peru panel's PUM programme, whose simulated trends are parallel):
// Callaway–Sant'Anna's joint test of every pre-treatment ATT(g,t) gave F(63, 541) = 15,770 with
// not-yet-treated controls and F(55, 541) = 545 with never-treated ones, and depended on the
// rank tolerance (about 45,000 at 1e-8, 75 at 1e-3). Cohorts of 2–9 firms, some cells resting on
// one to three of them: the influence function of a one-firm cell has no treated variation at all
// (the firm minus its own mean), so its standard error is the comparison units' alone (z = 34 for
// one such cell), and a cohort of k firms measures at most k − 1 directions of its pre-period
// cells, fewer than the cells it has.
//
// The rule, shared by every estimator that tests event-time leads on the effect set's covariance
// (Callaway–Sant'Anna, Sun–Abraham, the extended TWFE; StaggeredResult.leadTest below):
// - A lead that rests on fewer than `minimumTreatedUnits` (10) treated units is left out of the
//   joint test and named, with its counts, in the test's note and in the JSON (`excluded`). The
//   estimate itself is still reported. Ten is the threshold below which quipu already warned that
//   a lead should be read with care; R did's pre-processing warns about cohorts under 5 units (plus
//   one per covariate, `pre_process_did`'s `reqsize`); a joint test needs more than a single
//   estimate does, because its covariance must be estimated in every direction it tests.
// - Where no lead is thin, the test is the one it was, to the last digit.
// Callaway–Sant'Anna's own test (CallawaySantAnna+Pretrend.swift) further tests its event-time
// leads instead of every (g,t) cell and reads them against Hotelling's small-sample reference.

import Inference
import Primitives

/// The thin-lead rule of the pre-trend tests. See the file's opening comment.
public enum PretrendLeads {
    /// Leads resting on fewer treated units than this are left out of a joint pre-trend test.
    public static let minimumTreatedUnits = 10

    /// The leads among `candidates` resting on at least `minimumTreatedUnits` treated units, and
    /// those left out.
    static func split(_ estimates: [StaggeredEstimate], candidates: [Int]) -> (tested: [Int], excluded: [Int]) {
        (candidates.filter { estimates[$0].treatedUnits >= minimumTreatedUnits },
         candidates.filter { estimates[$0].treatedUnits < minimumTreatedUnits })
    }

    /// The note naming the leads left out, with their counts.
    static func exclusionNote(_ estimates: [StaggeredEstimate], excluded: [Int]) -> String {
        let named = excluded.map { "\(estimates[$0].eventTime ?? 0) (\(estimates[$0].treatedUnits) treated units, \(estimates[$0].cohortCount) cohort\(estimates[$0].cohortCount == 1 ? "" : "s"))" }
        return "lead\(excluded.count == 1 ? "" : "s") " + named.joined(separator: ", ") + " left out of the test: fewer than \(minimumTreatedUnits) "
            + "treated units, too few for the standard errors to measure their own variation"
    }
}

extension StaggeredResult {
    /// The joint Wald test that the leads at `candidates` are zero (`waldTest`), with the leads that
    /// rest on fewer than `PretrendLeads.minimumTreatedUnits` treated units left out, named in the
    /// note and in `excluded`; without a statistic, and saying why, when every lead is thin; nil when
    /// there is no lead.
    public func leadTest(candidates: [Int], description: String) -> WaldTestResult? {
        guard !candidates.isEmpty else { return nil }
        let (tested, excluded) = PretrendLeads.split(estimates, candidates: candidates)
        guard !excluded.isEmpty else { return waldTest(indices: tested, description: description) }
        let exclusion = PretrendLeads.exclusionNote(estimates, excluded: excluded)
        let labels = excluded.map { estimates[$0].label }
        guard !tested.isEmpty, let test = waldTest(indices: tested, description: description) else {
            var none = WaldTestResult(statistic: .nan, numeratorDegrees: 0, denominatorDegrees: degreesOfFreedom, pValue: .nan,
                                      undefined: .noEstimates, description: description, note: "no statistic: " + exclusion)
            none.excluded = labels
            return none
        }
        var result = test.noted(([exclusion] + [test.note].compactMap { $0 }).joined(separator: "; "))
        result.excluded = labels
        return result
    }
}
