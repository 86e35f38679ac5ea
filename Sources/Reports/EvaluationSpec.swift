import DiD
import Inference
import PanelData

/// What `quipu report` evaluates, read from a YAML spec file: the data and panel, the programmes
/// (each with its cohort column), the outcomes with their scale, and how to estimate and infer.
public struct EvaluationSpec: Sendable {
    /// A supported programme: its cohort column and the estimators that suit its design.
    public struct Programme: Sendable {
        /// Short name used in tables, file names and the truth file (e.g. "CBI").
        public var name: String
        /// Long name for the report's prose (e.g. "CBI export coaching").
        public var label: String
        /// Column with the first treated period (0 or empty: never treated).
        public var cohort: String
        /// Estimators in report order; the first is the headline.
        public var estimators: [StaggeredEstimator]
        /// Event-time window of the plots and of the TWFE event study (end points bin beyond).
        public var window: ClosedRange<Int>
        /// A row filter for this programme's estimates only (e.g. a cohort with no pre-period).
        public var filter: String?
        /// Callaway–Sant'Anna's comparison units.
        public var control: CallawaySantAnnaOptions.Control
        /// The programme's name in the truth file, when the spec names one.
        public var truthName: String
        /// Where the programme was declared, for messages.
        public var location: SpecLocation
        /// The cohort value of never-treated units (`never_treated:`); nil: 0, refused when 0 is a period.
        public var neverTreated: NeverTreatedCode? = nil
        /// Fixed effects beyond unit and period for the estimators that take them (`fe:`, fixest
        /// syntax such as "year^size_class"); Callaway–Sant'Anna refuses them (EvaluationSpec+Parsing).
        public var fixedEffects: [String] = []

        /// The programme's treatment as the panel code reads it.
        public var treatment: TreatmentSpecification { .cohort(cohort, neverTreated: neverTreated) }
    }

    /// How an outcome enters the estimates.
    public enum Scale: String, Sendable, CaseIterable {
        /// log(y): proportional effects on firms with y > 0 (zeros drop out).
        case log
        /// y itself: effects in the outcome's units.
        case level
        /// Poisson pseudo-likelihood on y: proportional effect on the mean, zeros kept (TWFE only).
        case poisson
        /// I(y > 0): the effect on the share of firms with a positive value (linear probability).
        case extensive
    }

    /// One outcome of the evaluation.
    public struct Outcome: Sendable {
        public var column: String
        public var scale: Scale
        /// The column's plain name for readers ("permanent employment (jobs)"): the spec's
        /// `label`, else the label another entry of the same column gives, else the column name.
        public var label: String
        /// Where the scale was given (scale errors point here).
        public var location: SpecLocation
        /// Where the column was given (unknown or text columns point here).
        public var columnLocation: SpecLocation

        /// The expression the estimators read.
        public var expression: String {
            switch scale {
            case .log: return "log(\(column))"
            case .level, .poisson: return column
            case .extensive: return "I(\(column) > 0)"
            }
        }

        /// The label with the scale, which names the outcome in titles, tables and charts:
        /// "permanent employment (jobs), log".
        public var title: String { "\(label), \(scale.phrase)" }

        /// A name safe in file names: "log-sales", "poisson-export_eu".
        public var slug: String { String("\(scale.rawValue)-\(column)".map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }) }
    }

    /// What the panel's units are, for the report's prose and headers ("firm", "firms").
    public struct UnitNoun: Sendable {
        public var one: String
        public var many: String

        /// The plural as a header or sentence starts it: "Firms".
        public var manyCapitalized: String { many.prefix(1).uppercased() + many.dropFirst() }

        /// A noun and its regular English plural (state → states, country → countries).
        public init(_ one: String, plural: String? = nil) {
            self.one = one
            if let plural {
                many = plural
            } else if one.hasSuffix("y"), let before = one.dropLast().last, !"aeiou".contains(before) {
                many = one.dropLast() + "ies"
            } else if ["s", "x", "z", "ch", "sh"].contains(where: { one.hasSuffix($0) }) {
                many = one + "es"
            } else {
                many = one + "s"
            }
        }
    }

    /// Effects estimated separately within each level of a column (e.g. firm size).
    public struct Subgroup: Sendable {
        public var column: String
        /// Levels to estimate (default: every level in the data, sorted).
        public var levels: [String]?
        public var location: SpecLocation
    }

    /// How uncertainty is measured.
    public struct InferenceSettings: Sendable {
        /// Covariance of the regression estimators (default: clustered by the unit).
        public var vcov: String?
        public var level = 0.95
        /// Multiplier-bootstrap replicates for Callaway–Sant'Anna (0: analytic only).
        public var bootstrapReplicates = 0
        public var seed: UInt64 = 1
        public var threads: Int?
        /// The adjustments of the headlines' p-values for testing them together (`adjust:`), shown
        /// under "How far to trust this"; empty: none.
        public var adjustments: [PValueAdjustment] = PValueAdjustment.allCases
        /// Replicates of the joint multiplier bootstrap behind Romano–Wolf and Westfall–Young
        /// (`adjust_reps`), drawn with `seed`.
        public var adjustReplicates = 9_999
    }

    /// The spec file's path, as given.
    public var path: String
    /// The spec file's text, kept for the manifest.
    public var text: String
    public var title: String
    /// The data file, relative to the spec file's directory unless absolute.
    public var data: String
    public var unit: String
    /// What a unit is (`unit_label`; default "unit").
    public var unitNoun = UnitNoun("unit")
    public var time: String
    /// A row filter for every estimate.
    public var filter: String?
    public var programmes: [Programme]
    public var outcomes: [Outcome]
    /// Time-invariant covariates (Callaway–Sant'Anna's propensity score and outcome regression;
    /// added to the regression estimators).
    public var covariates: [String]
    public var subgroups: [Subgroup]
    public var inference: InferenceSettings
    /// Statistic of the raw trends: mean or median.
    public var trendStatistic: String
    /// A truth file (JSON, as `quipu simulate` writes) to compare headline numbers with.
    public var truth: String?
    /// Where each top-level key was given, for messages about values checked later.
    public var keyLocations: [String: SpecLocation]
}

extension EvaluationSpec.Scale {
    /// The scale as a reader names it after an outcome's label.
    public var phrase: String {
        switch self {
        case .log: return "log"
        case .level: return "level"
        case .poisson: return "Poisson"
        case .extensive: return "share > 0"
        }
    }
}

extension EvaluationSpec {
    /// The time column's period in words: "year" for a column named year, else "period".
    public var periodNoun: String {
        let periods = ["year", "month", "quarter", "week", "day", "period", "wave", "round"]
        return periods.contains(time.lowercased()) ? time.lowercased() : "period"
    }

    /// A unit-period row in the spec's words: "firm-years", "state-years", "unit-periods".
    public var observationNoun: String { "\(unitNoun.one)-\(periodNoun)s" }
}

/// A place in the spec file: its key path and line.
public struct SpecLocation: Sendable, CustomStringConvertible {
    public var keyPath: String
    public var line: Int?
    public var column: Int?

    public var description: String {
        guard let line else { return keyPath }
        return "line \(line)" + (column.map { ", column \($0)" } ?? "") + " (\(keyPath))"
    }
}
