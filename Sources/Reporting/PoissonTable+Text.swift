import Primitives

/// Plain-text, Markdown, LaTeX and CSV renderings of a Poisson regression.
extension PoissonTable {
    /// A summary that reads like fixest's `summary()` of an `fepois` fit, with the effects as
    /// percentage changes below the coefficients.
    public var text: String {
        var lines = [String]()
        lines.append("Poisson estimation, Dep. Var.: \(responseName)")
        lines += sampleLines
        lines.append("Standard-errors: \(covarianceDescription); z (normal) tests and intervals")
        let level = NumberFormat.significant(confidenceLevel * 100, digits: 3)
        let header = CoefficientRow.textHeader(.standardNormal, level: level)
        lines += CoefficientRow.aligned([header] + rows.map(\.textCells), starsColumn: CoefficientRow.textStarsColumn)
        if rows.isEmpty { lines.append("(no coefficients: every regressor absorbed or none given)") }
        lines.append("---")
        lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        if !rows.isEmpty {
            lines.append("Effects as % change in the expected outcome, 100·(exp(b) − 1):")
            var effectCells = [["", "% change", "\(level)% low", "\(level)% high"]]
            for (row, percentage) in zip(rows, percentages) {
                effectCells.append([row.term, NumberFormat.significant(percentage.estimate, digits: 4),
                                    NumberFormat.significant(percentage.confidenceLow, digits: 4),
                                    NumberFormat.significant(percentage.confidenceHigh, digits: 4)])
            }
            lines += CoefficientRow.aligned(effectCells, starsColumn: nil)
        }
        lines.append("Log-Likelihood: \(NumberFormat.significant(logLikelihood, digits: 8))   "
            + "Deviance: \(NumberFormat.significant(deviance, digits: 8))   "
            + "Pseudo R2 (McFadden): \(NumberFormat.significant(pseudoR2, digits: 5))   IRLS iterations: \(iterations)")
        for note in notes { lines.append("Note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table with the model's facts below it.
    public var markdown: String {
        let level = NumberFormat.significant(confidenceLevel * 100, digits: 3)
        var lines = ["| Term | Estimate | Std. Error | z value | Pr(>\\|z\\|) | \(level)% CI | % change [\(level)% CI] |",
                     "|:--|--:|--:|--:|--:|:--:|:--:|"]
        for (row, percentage) in zip(rows, percentages) {
            lines.append("| `\(row.term)` | \(NumberFormat.significant(row.estimate))\(NumberFormat.stars(row.pValue).replacingOccurrences(of: "*", with: "\\*")) | "
                + "\(NumberFormat.significant(row.standardError)) | \(NumberFormat.significant(row.statistic)) | "
                + "\(NumberFormat.pValue(row.pValue)) | [\(NumberFormat.significant(row.confidenceLow)), \(NumberFormat.significant(row.confidenceHigh))] | "
                + "\(NumberFormat.significant(percentage.estimate, digits: 4)) [\(NumberFormat.significant(percentage.confidenceLow, digits: 4)), \(NumberFormat.significant(percentage.confidenceHigh, digits: 4))] |")
        }
        lines.append("")
        lines.append("Poisson pseudo-maximum likelihood. Dependent variable: `\(responseName)`. Observations: \(observationCount). Standard errors: \(covarianceDescription).")
        if !fixedEffects.isEmpty {
            lines.append("Fixed effects: " + fixedEffects.map { "`\($0.name)` (\($0.levels))" }.joined(separator: ", ") + ".")
        }
        lines.append("Log-likelihood: \(NumberFormat.significant(logLikelihood, digits: 8)); pseudo R² (McFadden): \(NumberFormat.significant(pseudoR2, digits: 4)).")
        for note in notes { lines.append("Note: \(note).") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A LaTeX `tabular` (booktabs) with standard errors in parentheses under the estimates.
    public var latex: String {
        RegressionSummary.latex(responseName: responseName, rows: rows, fixedEffects: fixedEffects, observationCount: observationCount,
                                statistics: [("Pseudo R$^2$", pseudoR2)], footnote: "Poisson PML. Standard errors: \(covarianceDescription).")
    }

    /// One row per coefficient, full precision, RFC 4180 quoting.
    public var csv: String {
        var lines = ["term,estimate,std_error,statistic,p_value,conf_low,conf_high,percent_change,percent_conf_low,percent_conf_high"]
        for (row, percentage) in zip(rows, percentages) {
            let numbers = (row.csvNumbers + [percentage.estimate, percentage.confidenceLow, percentage.confidenceHigh])
                .map { $0.isFinite ? "\($0)" : "NA" }
            lines.append(([CoefficientTable.csvQuote(row.term)] + numbers).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
