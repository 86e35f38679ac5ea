/// One model of a multiple estimation (`c()`, `sw()`, `csw()`, `--split`): which sample and
/// formula it is, and its results or why it could not be fitted.
public struct EstimatedModel: Sendable {
    /// The results, or the one-line reason the estimation failed.
    public enum Outcome: Sendable {
        case fitted(CoefficientTable)
        case failed(String)
    }

    /// What sets the model apart, in fixest's words: `Sample: size_class = small; Dep. var.: y`.
    public let label: String
    /// The split column, when the data were split.
    public let splitVariable: String?
    /// The split level of the sample, or `nil` for the full sample (or no split).
    public let splitValue: String?
    /// The model's own formula, after expanding `c()` and the stepwise functions.
    public let formula: String
    /// The outcome's display name.
    public let dependent: String
    /// The results or the failure.
    public let outcome: Outcome

    /// Creates a model entry.
    public init(label: String, splitVariable: String?, splitValue: String?, formula: String, dependent: String, outcome: Outcome) {
        self.label = label
        self.splitVariable = splitVariable
        self.splitValue = splitValue
        self.formula = formula
        self.dependent = dependent
        self.outcome = outcome
    }

    /// The sample in words: `size_class = small`, `full` (under `--fsplit`), or `nil` unsplit.
    public var sampleDescription: String? {
        guard let splitVariable else { return nil }
        return splitValue.map { "\(splitVariable) = \($0)" } ?? "full"
    }

    /// The results, when the model was fitted.
    public var table: (CoefficientTable)? {
        if case .fitted(let table) = outcome { return table }
        return nil
    }

    /// The failure's reason, when the model could not be fitted.
    public var failure: String? {
        if case .failed(let reason) = outcome { return reason }
        return nil
    }
}
