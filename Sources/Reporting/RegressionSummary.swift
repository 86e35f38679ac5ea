import Inference
import Primitives

/// The pieces of a single regression's presentation that `CoefficientTable` (feols and fepois)
/// words alike: the covariance in words, the notes on dropped regressors and the LaTeX table.
enum RegressionSummary {
    /// How the standard errors were computed, in words; `iid` names the homoskedastic estimator.
    static func covarianceDescription(_ covariance: CovarianceType, clusterCounts: [Int], iid: String) -> String {
        switch covariance {
        case .iid: return iid
        case .hetero: return "Heteroskedasticity-robust (HC1)"
        case let .cluster(names):
            let parts = zip(names, clusterCounts).map { "\($0) (\($1) clusters)" }
            return "Clustered by " + parts.joined(separator: " and ")
        }
    }

    /// The notes naming regressors absorbed by the fixed effects and regressors dropped as collinear.
    static func droppedRegressorNotes(fixedEffects: [String], absorbed: [String], collinear: [String]) -> [String] {
        var notes = [String]()
        if !absorbed.isEmpty {
            notes.append("absorbed by the fixed effects (\(fixedEffects.joined(separator: ", "))), as they do not vary within them, and dropped: "
                         + absorbed.joined(separator: ", "))
        }
        if !collinear.isEmpty {
            notes.append("dropped as collinear: " + collinear.joined(separator: ", "))
        }
        return notes
    }

    /// A LaTeX `tabular` (booktabs) with standard errors in parentheses under the estimates, the
    /// fixed effects, the observations and `statistics` (label, value) below, and `footnote` first
    /// among the footnotes.
    static func latex(responseName: String, rows: [CoefficientRow], fixedEffects: [(name: String, levels: Int)],
                      observationCount: Int, statistics: [(String, Double)], footnote: String) -> String {
        let escape = CoefficientTable.latexEscape
        var lines = ["\\begin{tabular}{lc}", "\\toprule", " & \\texttt{\(escape(responseName))} \\\\", "\\midrule"]
        for row in rows {
            let stars = NumberFormat.stars(row.pValue)
            let mark = stars.isEmpty || stars == "." ? "" : "$^{\(stars)}$"
            lines.append("\(escape(row.term)) & \(NumberFormat.significant(row.estimate, digits: 4))\(mark) \\\\")
            lines.append(" & (\(NumberFormat.significant(row.standardError, digits: 4))) \\\\")
        }
        lines.append("\\midrule")
        for effect in fixedEffects { lines.append("\(escape(effect.name)) fixed effects & Yes \\\\") }
        lines.append("Observations & \(observationCount) \\\\")
        for (label, value) in statistics { lines.append("\(label) & \(NumberFormat.fixed(value, decimals: 4)) \\\\") }
        lines.append("\\bottomrule")
        lines.append("\\multicolumn{2}{l}{\\footnotesize \(escape(footnote))} \\\\")
        lines.append("\\multicolumn{2}{l}{\\footnotesize $^{*}p<0.05$, $^{**}p<0.01$, $^{***}p<0.001$} \\\\")
        lines.append("\\end{tabular}")
        return lines.joined(separator: "\n") + "\n"
    }
}
