/// One regressor term of the right-hand side: a variable, an interaction, or an `i()` term.
public enum Term: Equatable, Hashable, Sendable {
    /// The product of one or more expressions; one element is a plain term, several an
    /// interaction such as `x1:x2`.
    ///
    /// The parser never repeats an expression within a product, and orders the expressions by
    /// their first appearance in the formula, as R does (`y ~ b + a:b` gives `b:a`).
    case product([Expression])
    /// Indicator columns for the levels of a factor.
    case indicator(Indicator)

    /// The term as fixest prints it: `x1`, `x1:x2`, `i(f, z, ref = 2014)` (the last is for
    /// display only; fixest names each indicator column with `Indicator.indicatorName`).
    public var name: String {
        switch self {
        case .product(let factors):
            return factors.map(\.name).joined(separator: ":")
        case .indicator(let indicator):
            return indicator.name
        }
    }

    /// The data columns the term reads.
    public var variables: Set<String> {
        switch self {
        case .product(let factors):
            return factors.reduce(into: Set<String>()) { $0.formUnion($1.variables) }
        case .indicator(let indicator):
            return indicator.variables
        }
    }

    /// The number of expressions multiplied together, which R uses to order terms; an `i()` term
    /// is a single call to R and so has order 1.
    public var order: Int {
        switch self {
        case .product(let factors):
            return factors.count
        case .indicator:
            return 1
        }
    }

    /// The expressions multiplied in a product term, or `nil` for an indicator.
    public var expressions: [Expression]? {
        if case .product(let expressions) = self { return expressions }
        return nil
    }

    /// The indicator of an `i()` term, or `nil` for a product.
    public var indicator: Indicator? {
        if case .indicator(let indicator) = self { return indicator }
        return nil
    }
}
