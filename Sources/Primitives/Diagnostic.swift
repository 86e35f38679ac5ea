/// Something an estimate's reader must know, with a stable code that programs check instead of
/// matching the message's words: the message can be reworded, the code cannot.
///
/// The codes follow what fixest and pyfixest warn about (few clusters, separation, singletons,
/// collinear regressors) plus Quipu's own; a module may add codes with `Diagnostic.Code("…")`.
public struct Diagnostic: Sendable, Hashable {
    /// A stable, snake_case identifier of the kind of diagnostic.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Too few clusters for cluster-robust inference to be trusted.
        public static let fewClusters = Code("few_clusters")
        /// Poisson: observations dropped because the regressors predict y = 0 perfectly.
        public static let separation = Code("separation")
        /// Poisson: the separation check stopped without an answer.
        public static let separationUnchecked = Code("separation_unchecked")
        /// Fixed-effect singletons dropped.
        public static let singletons = Code("singletons")
        /// Regressors without an estimate (collinear, or absorbed by the fixed effects).
        public static let collinear = Code("collinear")
        /// A choice the design made for the reader (reference levels, repeated columns).
        public static let design = Code("design")
        /// Describes the method only; it does not qualify the estimate.
        public static let descriptive = Code("descriptive")
        /// Any other note.
        public static let note = Code("note")
    }

    /// How much the diagnostic qualifies the estimate.
    public enum Severity: String, Sendable, Hashable {
        /// Context: how the estimate was made.
        case note
        /// The estimate should be read with this in mind.
        case warning
    }

    public let code: Code
    public let severity: Severity
    /// The sentence shown to people, unchanged from what the commands printed before codes.
    public let message: String

    /// Creates a diagnostic.
    public init(_ code: Code, _ severity: Severity, _ message: String) {
        self.code = code
        self.severity = severity
        self.message = message
    }
}
