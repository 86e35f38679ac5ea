import Primitives

extension Diagnostic.Code {
    /// A cohort with a single unit: its effects rest on one unit's outcomes.
    public static let singleUnitCohort = Diagnostic.Code("single_unit_cohort")
    /// Goodman-Bacon: already-treated controls carry much of the TWFE weight.
    public static let forbiddenComparisons = Diagnostic.Code("forbidden_comparisons")
    /// About a pre-trend test (not available, or undefined by a rule).
    public static let pretrend = Diagnostic.Code("pretrend")
    /// Pre-trend leads that rest on one cohort or fewer than 10 units.
    public static let leadThin = Diagnostic.Code("lead_thin")
}

extension Diagnostic {
    /// The note as `quipu did` states it in its text and JSON: a warning's message after
    /// "warning: ", any other message as it is.
    public var noteText: String { severity == .warning ? "warning: " + message : message }

    /// `diagnostics` once each by their text, sorted by it (the order did's notes have always had).
    static func deduplicatedNotes(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return diagnostics.sorted { $0.noteText < $1.noteText }.filter { seen.insert($0.noteText).inserted }
    }
}
