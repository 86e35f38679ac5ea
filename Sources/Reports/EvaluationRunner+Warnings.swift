import DiD
import Foundation
import Primitives
import Reporting

/// What qualifies one estimate, gathered from its estimator run so that the report can print it
/// beside the number: thin or rejected pre-trend tests, few clusters, lonely cohorts, dropped
/// rows and cells, and anything else the estimators warn about (issue 19, point 16).
extension EvaluationRunner {
    /// Share of the rows an estimator may leave out before the report warns about sample loss:
    /// missing values and singletons lose a few rows in any panel; a log outcome with many zeros
    /// or Poisson's all-zero units lose half of it, and the estimate then describes another sample.
    static let sampleLossWarningShare = 0.05

    /// The warnings of one successful run of `estimator`, in the order: pre-trend test (its
    /// rejection, then what qualifies it), the estimator's warnings and notes, sample loss.
    func warnings(_ did: DiDResults, _ own: StaggeredResult, estimator: StaggeredEstimator) -> [String] {
        var found = [String]()
        let alpha = 1 - spec.inference.level
        if estimator == .twfe, let test = did.pretrendTest, test.pValue < alpha {
            found.append(pretestRejection(test.pValue))
        } else if estimator != .twfe, let test = own.pretrend, test.pValue < alpha {
            found.append(pretestRejection(test.pValue))
        }
        // What qualifies the estimator's own pre-test (a generalized inverse with its rank as the
        // df, no statistic, too few clusters); TWFE's reach the report through its pre-trend warnings.
        if estimator != .twfe, let test = own.pretrend {
            if let note = test.note { found.append("\(estimator.displayName) pre-trend test: \(note)") }
            if let reason = test.ruleReason { found.append("\(estimator.displayName) pre-trend test undefined: \(reason)") }
        }
        // The estimator's notes that only describe its method (code `descriptive`) are left to the
        // report's own words (its estimator bullets and Goodman-Bacon section); every other note
        // qualifies the estimate.
        let notes = did.pretrendWarnings.map(\.message) + did.notes.map(\.message) + own.notes.filter { $0.code != .descriptive }.map(\.message)
        for note in notes {
            // The estimators speak to `quipu did`'s options; the report's reader has a spec.
            let text = note.replacingOccurrences(of: "(--window)", with: "(the programme's `window`)")
                .replacingOccurrences(of: "--vcov ", with: "the spec's inference.vcov ")
            if !found.contains(text) { found.append(text) }
        }
        if let sample = did.samples.first(where: { $0.estimator == estimator })?.sample,
           sample.rowsRead > 0, Double(sample.rowsRead - sample.rows) > Self.sampleLossWarningShare * Double(sample.rowsRead)
        {
            let reasons = sample.drops.filter { $0.rows > 0 }.map { "\(NumberFormat.grouped($0.rows)) \($0.reason)" }
            found.append("sample loss: \(NumberFormat.grouped(sample.rowsRead - sample.rows)) of \(NumberFormat.grouped(sample.rowsRead)) \(spec.observationNoun) left out"
                         + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
                         + ": the estimate describes the \(spec.observationNoun) that remain")
        }
        return found
    }

    /// An estimate without a standard error must not pass for a precise one: the table shows
    /// dashes, and this says why they are there.
    func undefinedStandardError(clusters: Int?) -> String {
        let few = clusters.map { " with \($0) \($0 == 1 ? "cluster" : "clusters")" } ?? ""
        return "no standard error could be computed\(few): the interval and p-value are undefined, and the estimate's precision is unknown"
    }

    func pretestRejection(_ pValue: Double) -> String {
        let shown = pValue < 0.001 ? "p < 0.001" : "p = " + NumberFormat.fixed(pValue, decimals: 3)
        return "the pre-trend test rejects (\(shown)): effects before support are not zero, so this estimate mixes the programme with differences that were there before it"
    }
}
