import Primitives

/// Plain-text, Markdown, LaTeX and CSV renderings of feols's and fepois's tables.
extension CoefficientTable {
    /// A summary that reads like fixest's `summary()`; a Poisson fit's effects follow as
    /// percentage changes below the coefficients.
    public var text: String {
        var lines = [String]()
        lines.append("\(poisson == nil ? "OLS" : "Poisson") estimation, Dep. Var.: \(responseName)")
        lines += sampleLines
        lines.append("Standard-errors: \(covarianceDescription); \(distributionDescription)")
        let level = NumberFormat.significant(confidenceLevel * 100, digits: 3)
        let header = CoefficientRow.textHeader(distribution, level: level)
        lines += CoefficientRow.aligned([header] + rows.map(\.textCells), starsColumn: CoefficientRow.textStarsColumn)
        if rows.isEmpty { lines.append("(no coefficients: every regressor absorbed or none given)") }
        lines.append("---")
        lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        switch model {
        case .leastSquares(let statistics):
            var fit = "RMSE: \(NumberFormat.significant(statistics.rmse, digits: 5))   R2: \(NumberFormat.significant(statistics.r2, digits: 5))"
            fit += "   Adj. R2: \(NumberFormat.significant(statistics.adjustedR2, digits: 5))"
            if let withinR2 = statistics.withinR2 { fit += "   Within R2: \(NumberFormat.significant(withinR2, digits: 5))" }
            lines.append(fit)
        case .poisson(let statistics):
            if !rows.isEmpty {
                lines.append("Effects as % change in the expected outcome, 100·(exp(b) − 1):")
                var effectCells = [["", "% change", "\(level)% low", "\(level)% high"]]
                for (row, percentage) in zip(rows, statistics.percentages) {
                    effectCells.append([row.term, NumberFormat.significant(percentage.estimate, digits: 4),
                                        NumberFormat.significant(percentage.confidenceLow, digits: 4),
                                        NumberFormat.significant(percentage.confidenceHigh, digits: 4)])
                }
                lines += CoefficientRow.aligned(effectCells, starsColumn: nil)
            }
            lines.append("Log-Likelihood: \(NumberFormat.significant(statistics.logLikelihood, digits: 8))   "
                + "Deviance: \(NumberFormat.significant(statistics.deviance, digits: 8))   "
                + "Pseudo R2 (McFadden): \(NumberFormat.significant(statistics.pseudoR2, digits: 5))   IRLS iterations: \(statistics.iterations)")
        }
        let bootstrapped = rows.filter { bootstraps[$0.term] != nil }
        if !bootstrapped.isEmpty {
            lines.append("Bootstrap (H0: coefficient = 0):")
            for row in bootstrapped { lines.append("  " + (bootstraps[row.term]?.line(term: row.term) ?? "")) }
        }
        if let test = restrictionTest {
            lines.append("Bootstrap test of \(test.restriction):")
            lines.append("  " + test.summary.line(term: "restriction"))
        }
        for note in notes { lines.append("Note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The reference distribution in words. Zero degrees of freedom leave no t distribution to
    /// test against (see the note).
    private var distributionDescription: String {
        switch distribution {
        case .standardNormal: return "z (normal) tests and intervals"
        case .studentT(let degrees):
            return degrees > 0 ? "t with \(NumberFormat.significant(degrees)) df" : "inference undefined (0 df)"
        }
    }

    /// A GitHub-flavoured Markdown table with the model's facts below it; a Poisson fit adds a
    /// column of percentage effects.
    public var markdown: String {
        let letter = distribution.degreesOfFreedom == nil ? "z" : "t"
        let percentages = poisson?.percentages
        // feols has always labelled its interval column 95% whatever --level; kept byte-identical.
        let intervalLevel = percentages == nil ? "95" : NumberFormat.significant(confidenceLevel * 100, digits: 3)
        var header = "| Term | Estimate | Std. Error | \(letter) value | Pr(>\\|\(letter)\\|) | \(intervalLevel)% CI |"
        var alignment = "|:--|--:|--:|--:|--:|:--:|"
        if percentages != nil {
            header += " % change [\(intervalLevel)% CI] |"
            alignment += ":--:|"
        }
        var lines = [header, alignment]
        for (index, row) in rows.enumerated() {
            var line = "| `\(row.term)` | \(NumberFormat.significant(row.estimate))\(NumberFormat.stars(row.pValue).replacingOccurrences(of: "*", with: "\\*")) | "
                + "\(NumberFormat.significant(row.standardError)) | \(NumberFormat.significant(row.statistic)) | "
                + "\(NumberFormat.pValue(row.pValue)) | [\(NumberFormat.significant(row.confidenceLow)), \(NumberFormat.significant(row.confidenceHigh))] |"
            if let percentage = percentages?[index] {
                line += " \(NumberFormat.significant(percentage.estimate, digits: 4)) [\(NumberFormat.significant(percentage.confidenceLow, digits: 4)), "
                    + "\(NumberFormat.significant(percentage.confidenceHigh, digits: 4))] |"
            }
            lines.append(line)
        }
        lines.append("")
        let facts = "Dependent variable: `\(responseName)`. Observations: \(observationCount). Standard errors: \(covarianceDescription)."
        lines.append(poisson == nil ? facts : "Poisson pseudo-maximum likelihood. " + facts)
        // fepois's Markdown has never shown the --subset line; kept byte-identical.
        if poisson == nil, let subset { lines.append("Sample: \(subset.line).") }
        if !fixedEffects.isEmpty {
            lines.append("Fixed effects: " + fixedEffects.map { "`\($0.name)` (\($0.levels))" }.joined(separator: ", ") + ".")
        }
        switch model {
        case .leastSquares(let statistics):
            var fit = "R²: \(NumberFormat.significant(statistics.r2, digits: 4)); adjusted R²: \(NumberFormat.significant(statistics.adjustedR2, digits: 4))"
            if let withinR2 = statistics.withinR2 { fit += "; within R²: \(NumberFormat.significant(withinR2, digits: 4))" }
            lines.append(fit + ".")
        case .poisson(let statistics):
            lines.append("Log-likelihood: \(NumberFormat.significant(statistics.logLikelihood, digits: 8)); "
                + "pseudo R² (McFadden): \(NumberFormat.significant(statistics.pseudoR2, digits: 4)).")
        }
        for note in notes { lines.append("Note: \(note).") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A LaTeX `tabular` (booktabs) with standard errors in parentheses under the estimates.
    public var latex: String {
        let statistics: [(String, Double)]
        let footnote: String
        switch model {
        case .leastSquares(let fit):
            statistics = [("R$^2$", fit.r2)] + (fit.withinR2.map { [("Within R$^2$", $0)] } ?? [])
            footnote = "Standard errors: \(covarianceDescription)."
        case .poisson(let fit):
            statistics = [("Pseudo R$^2$", fit.pseudoR2)]
            footnote = "Poisson PML. Standard errors: \(covarianceDescription)."
        }
        return RegressionSummary.latex(responseName: responseName, rows: rows, fixedEffects: fixedEffects, observationCount: observationCount,
                                       statistics: statistics, footnote: footnote)
    }

    /// One row per coefficient, full precision, RFC 4180 quoting.
    public var csv: String {
        let percentages = poisson?.percentages
        var header = "term,estimate,std_error,statistic,p_value,conf_low,conf_high"
        if percentages != nil { header += ",percent_change,percent_conf_low,percent_conf_high" }
        var lines = [header]
        for (index, row) in rows.enumerated() {
            var values = row.csvNumbers
            if let percentage = percentages?[index] { values += [percentage.estimate, percentage.confidenceLow, percentage.confidenceHigh] }
            let numbers = values.map { $0.isFinite ? "\($0)" : "NA" }
            lines.append(([Self.csvQuote(row.term)] + numbers).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvQuote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func latexEscape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "_", "%", "&", "#", "$", "{", "}": result += "\\\(character)"
            case "^": result += "\\^{}"
            case "~": result += "\\~{}"
            case "\\": result += "\\textbackslash{}"
            default: result.append(character)
            }
        }
        return result
    }
}

import Foundation
