import DiD
import PanelData
import Reporting
import Primitives

/// Everything `quipu report` estimated, in the order the report shows it. Nothing here depends on
/// the clock or the machine, so that the same spec gives the same results, byte for byte.
public struct EvaluationResults: Sendable {
    /// One estimate of one programme's effect on one outcome by one estimator.
    public struct Effect: Sendable {
        public var programme: String
        /// The outcome's title (label and scale).
        public var outcome: String
        /// What the estimator read, e.g. "log(sales)".
        public var expression: String
        public var scale: EvaluationSpec.Scale
        public var estimator: StaggeredEstimator
        /// The first estimator of the programme: the number the report leads with.
        public var headline: Bool
        public var estimate: Double
        public var standardError: Double
        public var low: Double, high: Double
        public var pValue: Double
        public var observations: Int
        public var treatedUnits: Int
        public var inference: String
        /// The true effect from the truth file, on this scale, when there is one.
        public var truth: Double?
        /// Why there is no estimate, when the estimator failed.
        public var failure: String?
        /// What qualifies the estimate (pre-trend test, few clusters, sample loss, ...), shown
        /// beside it.
        public var warnings: [String] = []
    }

    /// An estimator's event-time profile.
    public struct Profile: Sendable {
        public var programme: String
        public var outcome: String
        public var estimator: StaggeredEstimator
        public var points: [(eventTime: Int, estimate: Double, low: Double, high: Double)]
    }

    /// A test that effects before support are zero.
    public struct Pretrend: Sendable {
        public var programme: String
        public var outcome: String
        public var estimator: StaggeredEstimator
        public var description: String
        public var statistic: Double
        public var numeratorDegrees: Int
        public var denominatorDegrees: Double?
        public var pValue: Double
    }

    /// The Goodman-Bacon decomposition of a programme's TWFE estimate on the balanced panel.
    public struct Bacon: Sendable {
        public var programme: String
        public var outcome: String
        public var decomposition: BaconDecomposition?
        public var failure: String?
    }

    /// The multiplier bootstrap of Callaway–Sant'Anna's overall effect against its analytic twin.
    public struct Bootstrap: Sendable {
        public var programme: String
        public var outcome: String
        public var estimate: Double
        public var analyticStandardError: Double
        public var bootstrapStandardError: Double
        public var low: Double, high: Double
        /// The sup-t critical value of the event-time band (1.96 would be pointwise at 95%).
        public var dynamicCriticalValue: Double?
        public var replicates: Int
        public var seed: UInt64
    }

    /// The headline estimator within one level of a subgroup column.
    public struct SubgroupEffect: Sendable {
        public var column: String
        public var level: String
        public var effect: Effect

        /// Treated units below which a subgroup's estimate is flagged rather than shown: with one
        /// or two, the "effect" is those units' own history, and clustered intervals with so few
        /// treated clusters are far too narrow (Conley & Taber 2011; MacKinnon & Webb 2017).
        public static let minimumTreatedUnits = 3

        /// Why the estimate is not shown as one, when it rests on too few treated units.
        public func tooFewTreated(_ units: EvaluationSpec.UnitNoun) -> String? {
            guard effect.failure == nil, effect.treatedUnits < Self.minimumTreatedUnits else { return nil }
            return "not shown: rests on \(effect.treatedUnits) treated \(effect.treatedUnits == 1 ? units.one : units.many)"
        }
    }

    /// Units and rows by period, with the programmes' treated units.
    public struct PeriodRow: Sendable {
        public var period: Int
        public var units: Int
        public var entering: Int
        public var exiting: Int
        public var treated: [Int]
    }

    /// The sample before any estimate.
    public struct Sample: Sendable {
        public var rowsRead: Int
        public var rows: Int
        public var units: Int
        public var periods: [PeriodRow]
        /// Units that left before the last period, and units that entered after the first.
        public var exits: Int
        public var entries: Int
        public var filter: String?
        /// Share of rows with the outcome missing, by outcome column.
        public var missingShares: [(column: String, share: Double, zeroShare: Double)]
    }

    /// Units by their support from two programmes.
    public struct Overlap: Sendable {
        public var first: String, second: String
        public var both: Int, firstOnly: Int, secondOnly: Int, neither: Int
    }

    /// Raw trends of an outcome, on its scale, for one programme's supported and unsupported
    /// units, on the rows the programme's estimates use.
    public struct Trend: Sendable {
        public var programme: String
        /// The outcome's title ("sales (USD), log") and label ("sales (USD)").
        public var outcome: String
        public var label: String
        public var expression: String
        public var scale: EvaluationSpec.Scale
        /// A name safe in file names ("log-sales").
        public var slug: String
        public var trends: PanelTrends
    }

    /// One estimator run, as `quipu did --format json` would print it.
    public struct Run: Sendable {
        public var programme: String
        public var outcome: String
        public var estimator: StaggeredEstimator
        public var json: JSONValue
    }

    public var spec: EvaluationSpec
    public var sample: Sample
    public var overlaps: [Overlap] = []
    public var trends: [Trend] = []
    public var effects: [Effect] = []
    public var profiles: [Profile] = []
    public var pretrends: [Pretrend] = []
    /// The headline estimators' pre-test power against a linear trend (EvaluationResults+TrustPretestPower).
    public var pretestPowers: [PretestPower] = []
    public var bacon: [Bacon] = []
    public var bootstrap: [Bootstrap] = []
    public var subgroups: [SubgroupEffect] = []
    /// Each headline's Rambachan–Roth breakdown values ("How far to trust this").
    public var breakdowns: [Breakdown] = []
    public var runs: [Run] = []
    /// Each headline design's minimum detectable effect (EvaluationResults+TrustPower).
    public var designPower: [HeadlinePower] = []
    /// Romano–Wolf and Westfall–Young across the headlines from one joint bootstrap, and what
    /// each headline handed over for it by index in `effects` (EvaluationResults+TrustJointAdjust).
    public var jointAdjustment: JointAdjustment? = nil
    var jointInputs: [Int: JointInput] = [:]
    /// Things the reader should know that no table says (estimators skipped, failures).
    public var notes: [String] = []
    /// Threads the estimators ran with (results do not depend on it).
    public var threads: Int
}
