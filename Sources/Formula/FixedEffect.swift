/// A fixed effect after `|`: one variable (`fe1`) or several combined with `^` (`fe1^fe2`),
/// whose distinct value combinations each get their own intercept.
public struct FixedEffect: Equatable, Hashable, Sendable {
    /// The combined variables, in the order written.
    public var variables: [String]

    /// Creates a fixed effect from one or more variables.
    public init(variables: [String]) {
        self.variables = variables
    }

    /// Creates a fixed effect from a single variable.
    public init(_ variable: String) {
        self.variables = [variable]
    }

    /// The name fixest prints: `fe1`, or `fe1^fe2` for combined variables.
    public var name: String {
        variables.map(Expression.displayName(of:)).joined(separator: "^")
    }
}
