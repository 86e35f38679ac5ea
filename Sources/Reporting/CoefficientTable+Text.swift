import Primitives

/// Plain-text, Markdown, LaTeX and CSV renderings.
extension CoefficientTable {
    /// A summary that reads like fixest's `summary()`.
    public var text: String {
        var lines = [String]()
        lines.append("OLS estimation, Dep. Var.: \(responseName)")
        lines += sampleLines
        // Zero degrees of freedom leave no t distribution to test against (see the note).
        let distribution = degreesOfFreedom > 0 ? "t with \(NumberFormat.significant(degreesOfFreedom)) df" : "inference undefined (0 df)"
        lines.append("Standard-errors: \(covarianceDescription); \(distribution)")
        let level = NumberFormat.significant(confidenceLevel * 100, digits: 3)
        let header = CoefficientRow.textHeader(.studentT(degreesOfFreedom: degreesOfFreedom), level: level)
        lines += CoefficientRow.aligned([header] + rows.map(\.textCells), starsColumn: CoefficientRow.textStarsColumn)
        if rows.isEmpty { lines.append("(no coefficients: every regressor absorbed or none given)") }
        lines.append("---")
        lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        var fit = "RMSE: \(NumberFormat.significant(rmse, digits: 5))   R2: \(NumberFormat.significant(r2, digits: 5))"
        fit += "   Adj. R2: \(NumberFormat.significant(adjustedR2, digits: 5))"
        if let withinR2 { fit += "   Within R2: \(NumberFormat.significant(withinR2, digits: 5))" }
        lines.append(fit)
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

    /// A GitHub-flavoured Markdown table with the model's facts below it.
    public var markdown: String {
        var lines = ["| Term | Estimate | Std. Error | t value | Pr(>\\|t\\|) | 95% CI |", "|:--|--:|--:|--:|--:|:--:|"]
        for row in rows {
            lines.append("| `\(row.term)` | \(NumberFormat.significant(row.estimate))\(NumberFormat.stars(row.pValue).replacingOccurrences(of: "*", with: "\\*")) | "
                + "\(NumberFormat.significant(row.standardError)) | \(NumberFormat.significant(row.statistic)) | "
                + "\(NumberFormat.pValue(row.pValue)) | [\(NumberFormat.significant(row.confidenceLow)), \(NumberFormat.significant(row.confidenceHigh))] |")
        }
        lines.append("")
        lines.append("Dependent variable: `\(responseName)`. Observations: \(observationCount). Standard errors: \(covarianceDescription).")
        if let subset { lines.append("Sample: \(subset.line).") }
        if !fixedEffects.isEmpty {
            lines.append("Fixed effects: " + fixedEffects.map { "`\($0.name)` (\($0.levels))" }.joined(separator: ", ") + ".")
        }
        var fit = "R²: \(NumberFormat.significant(r2, digits: 4)); adjusted R²: \(NumberFormat.significant(adjustedR2, digits: 4))"
        if let withinR2 { fit += "; within R²: \(NumberFormat.significant(withinR2, digits: 4))" }
        lines.append(fit + ".")
        for note in notes { lines.append("Note: \(note).") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A LaTeX `tabular` (booktabs) with standard errors in parentheses under the estimates.
    public var latex: String {
        RegressionSummary.latex(responseName: responseName, rows: rows, fixedEffects: fixedEffects, observationCount: observationCount,
                                statistics: [("R$^2$", r2)] + (withinR2.map { [("Within R$^2$", $0)] } ?? []), footnote: "Standard errors: \(covarianceDescription).")
    }

    /// One row per coefficient, full precision, RFC 4180 quoting.
    public var csv: String {
        var lines = ["term,estimate,std_error,statistic,p_value,conf_low,conf_high"]
        for row in rows {
            let numbers = row.csvNumbers.map { $0.isFinite ? "\($0)" : "NA" }
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
