import Foundation
import Primitives

/// Models side by side, as fixest's `etable`: a column per model, a row per coefficient (its
/// standard error, interval or t statistic below), then fixed effects, the covariance and the
/// fit statistics. Laid out once here in plain text cells; each format renders the rows.
public struct RegressionTable {
    /// What appears below each estimate.
    public enum Statistic: String, Sendable, CaseIterable {
        case standardError = "se", confidenceInterval = "ci", tStatistic = "tstat"
    }

    /// How the table is drawn.
    public struct Options {
        /// Significant digits of estimates and their statistics (fixest's default, 4).
        public var digits = 4
        /// Significant digits of R² and similar (fixest's `digits.stats`, 5).
        public var fitDigits = 5
        public var statistic = Statistic.standardError
        public var stars = SignificanceStars.standard
        public var selection = CoefficientSelection()
        public init() {}
    }

    /// One cell: text, and for an estimate its significance mark, which formats set apart.
    public struct Cell: Equatable {
        public let text: String
        public let stars: String
        init(_ text: String, stars: String = "") {
            self.text = text
            self.stars = stars
        }
    }

    /// A row, its kind telling the formats how to draw it.
    public struct Row {
        public enum Kind: Equatable {
            case modelNumbers, dependent, estimator, sample
            /// A coefficient's estimates, and the line of statistics below them.
            case estimate(term: String), statistic(term: String)
            case fixedEffect(name: String)
            case fit(FitStatistic)
        }
        public let kind: Kind
        public let label: String
        public let cells: [Cell]
    }

    /// The rows below the fixed effects.
    public enum FitStatistic: String, CaseIterable, Sendable {
        case vcov = "S.E. type", observations = "Observations", r2 = "R2", withinR2 = "Within R2"
        case pseudoR2 = "Pseudo R2", clusters = "Clusters"

        /// The label with a true superscript, for the formats that have one.
        var unicodeLabel: String { rawValue.replacingOccurrences(of: "R2", with: "R²") }
    }

    /// The models as shown (renamed, their hidden coefficients removed).
    public let models: [ModelSummary]
    /// Coefficient names in order of first appearance across the models.
    public let terms: [String]
    public let options: Options

    /// Lays out `models` (in column order); fails when `--keep`/`--drop` leave no coefficient.
    public init(models: [ModelSummary], options: Options) throws {
        guard !models.isEmpty else { throw TableInputError("no models to tabulate") }
        self.options = options
        self.models = try models.enumerated().map { try options.selection.apply(to: $1, column: $0 + 1) }
        let terms = Self.order(self.models)
        guard !terms.isEmpty else {
            throw TableInputError("no coefficient is left to show: --keep and --drop removed every one "
                + "(names available: \(Self.availableNames(models, options.selection)))")
        }
        self.terms = terms
    }

    /// Coefficient names in order of first appearance (fixest's), except that did's event-time,
    /// cohort and period aggregates (`e-4`, `g2006`, `t2007`) are sorted by their number where
    /// the first of their kind appears: a column with a lead the first one lacks would
    /// otherwise put `e-4` after `e3`.
    static func order(_ models: [ModelSummary]) -> [String] {
        // Sets beside the ordered lists: a model with 10^5 coefficients took minutes when each
        // name was looked up in the list (issue 19).
        var terms = [String]()
        var seen = Set<String>()
        var numbered = [String: (family: Character, number: Int)]()
        for model in models {
            for coefficient in model.coefficients where seen.insert(coefficient.term).inserted {
                terms.append(coefficient.term)
                if model.command == "did", coefficient.term == coefficient.originalTerm,
                   let family = coefficient.term.first, "egt".contains(family), let number = Int(coefficient.term.dropFirst()) {
                    numbered[coefficient.term] = (family, number)
                }
            }
        }
        var result = [String]()
        var placedFamilies = Set<Character>()
        for term in terms {
            guard let family = numbered[term]?.family else {
                result.append(term)
                continue
            }
            // The whole family goes where its first member appears.
            guard placedFamilies.insert(family).inserted else { continue }
            let members = terms.filter { numbered[$0]?.family == family }
            result += members.sorted { (numbered[$0]?.number ?? 0) < (numbered[$1]?.number ?? 0) }
        }
        return result
    }

    /// Every name a `--keep` could show, for the message when none is shown.
    private static func availableNames(_ models: [ModelSummary], _ selection: CoefficientSelection) -> String {
        var names = [String]()
        var seen = Set<String>()
        for model in models {
            for coefficient in model.coefficients {
                let name = selection.renamed(coefficient.originalTerm)
                if seen.insert(name).inserted { names.append(name) }
            }
        }
        return names.prefix(30).joined(separator: ", ") + (names.count > 30 ? ", ..." : "")
    }

    /// `(1)`, `(2)`, ... over the columns.
    public var modelNumbers: [String] { models.indices.map { "(\($0 + 1))" } }

    /// The dependent variables, the estimators when they differ, and the `--split` subsamples
    /// when a model has one (fixest's etable: "Sample (g)", "Full sample" for --fsplit's first).
    public var headerRows: [Row] {
        var rows = [Row(kind: .dependent, label: "Dependent Var.:", cells: models.map { Cell($0.dependent) })]
        if Set(models.map(\.estimator)).count > 1 {
            rows.append(Row(kind: .estimator, label: "Estimator:", cells: models.map { Cell($0.estimator) }))
        }
        let splits = Set(models.compactMap { $0.sample?.split })
        if let only = splits.first {
            let oneSplit = splits.count == 1
            let cells = models.map { model -> Cell in
                guard let sample = model.sample else { return Cell("") }
                let value = sample.value ?? "Full sample"
                return Cell(oneSplit || sample.value == nil ? value : "\(sample.split) = \(value)")
            }
            rows.append(Row(kind: .sample, label: oneSplit ? "Sample (\(only)):" : "Sample:", cells: cells))
        }
        return rows
    }

    /// Each coefficient's estimate row and statistic row.
    public var coefficientRows: [Row] {
        // Each model's coefficients by name, once, rather than a search per term and model.
        let byTerm = models.map { model in
            Dictionary(model.coefficients.map { ($0.term, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return terms.flatMap { term -> [Row] in
            let found = byTerm.map { $0[term] }
            let estimates = found.map { coefficient in
                coefficient.map { Cell(number($0.estimate), stars: options.stars.mark($0.pValue)) } ?? Cell("")
            }
            return [Row(kind: .estimate(term: term), label: term, cells: estimates),
                    Row(kind: .statistic(term: term), label: "", cells: found.map { Cell($0.map(statisticText) ?? "") })]
        }
    }

    /// A Yes/No row per fixed effect, in order of first appearance.
    public var fixedEffectRows: [Row] {
        var names = [String]()
        for model in models {
            for name in model.fixedEffects where !names.contains(name) { names.append(name) }
        }
        return names.map { name in
            Row(kind: .fixedEffect(name: name), label: name, cells: models.map { Cell($0.fixedEffects.contains(name) ? "Yes" : "No") })
        }
    }

    /// The covariance, observations, R²s and clusters: each row only when a model has it.
    public var fitRows: [Row] {
        FitStatistic.allCases.compactMap { statistic in
            let cells = models.map { fitText(statistic, $0) }
            guard cells.contains(where: { !$0.isEmpty }) else { return nil }
            return Row(kind: .fit(statistic), label: statistic.rawValue, cells: cells.map { Cell($0) })
        }
    }

    private func fitText(_ statistic: FitStatistic, _ model: ModelSummary) -> String {
        let fit = { (value: Double?) in value.map { NumberFormat.tableDigits($0, digits: options.fitDigits) } ?? "" }
        switch statistic {
        case .vcov: return model.vcovDescription
        case .observations: return model.observations.map(NumberFormat.grouped) ?? ""
        case .r2: return fit(model.r2)
        case .withinR2: return fit(model.withinR2)
        case .pseudoR2: return fit(model.pseudoR2)
        case .clusters: return model.clusterCounts.map(NumberFormat.grouped).joined(separator: " & ")
        }
    }

    /// What the line below an estimate holds, in words, for the table's note.
    public var statisticNote: String {
        switch options.statistic {
        case .standardError: return "Standard errors in parentheses."
        case .tStatistic: return "t statistics in parentheses."
        case .confidenceInterval:
            let levels = Set(models.compactMap(\.confidenceLevel))
            let level = levels.count == 1 ? levels.first.map { NumberFormat.significant($0 * 100, digits: 3) + "% " } ?? "" : ""
            return "\(level.isEmpty ? "Confidence" : level + "confidence") intervals in brackets"
                + (levels.count > 1 ? " (levels differ across models)." : ".")
        }
    }

    /// The significance legend, or "" without marks.
    public var starsNote: String {
        options.stars.levels.isEmpty ? "" : "Signif. codes: " + options.stars.legend + "."
    }

    func number(_ value: Double) -> String { NumberFormat.tableDigits(value, digits: options.digits) }

    private func statisticText(_ coefficient: ModelSummary.Coefficient) -> String {
        switch options.statistic {
        case .standardError:
            return coefficient.standardError.map { "(" + number($0) + ")" } ?? ""
        case .tStatistic:
            return coefficient.statisticOrRatio.map { "(" + number($0) + ")" } ?? ""
        case .confidenceInterval:
            guard let low = coefficient.confidenceLow, let high = coefficient.confidenceHigh else { return "" }
            return "[" + number(low) + "; " + number(high) + "]"
        }
    }
}
