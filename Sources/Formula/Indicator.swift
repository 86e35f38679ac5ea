/// A fixest `i()` term: one indicator column per level of a factor, optionally multiplied by a
/// variable, with some levels left out as references.
public struct Indicator: Equatable, Hashable, Sendable {
    /// The data column whose distinct values are the levels.
    public var factor: String
    /// The variable each indicator is multiplied by (`z` in `i(f, z)`), if any.
    public var interaction: Expression?
    /// The levels left out, in the order written; empty when no `ref` was given.
    public var references: [ReferenceValue]

    /// Creates an indicator term for `factor`.
    public init(factor: String, interaction: Expression? = nil, references: [ReferenceValue] = []) {
        self.factor = factor
        self.interaction = interaction
        self.references = references
    }

    /// The term as it would be written: `i(f)`, `i(f, z, ref = 2014)`, `i(f, ref = c(1, 2))`.
    public var name: String {
        var arguments = [Expression.displayName(of: factor)]
        if let interaction {
            arguments.append(interaction.name)
        }
        if references.count == 1 {
            arguments.append("ref = \(references[0].name)")
        } else if references.count > 1 {
            arguments.append("ref = c(\(references.map(\.name).joined(separator: ", ")))")
        }
        return "i(\(arguments.joined(separator: ", ")))"
    }

    /// The data columns the term reads: the factor and the interaction's variables.
    public var variables: Set<String> {
        var result: Set<String> = [factor]
        if let interaction {
            result.formUnion(interaction.variables)
        }
        return result
    }

    /// Whether `level` is one of the references, for a factor with numeric values.
    public func isReference(number level: Double) -> Bool {
        references.contains { $0.matches(number: level) }
    }

    /// Whether `level` is one of the references, for a factor with textual values.
    public func isReference(text level: String) -> Bool {
        references.contains { $0.matches(text: level) }
    }

    /// The coefficient name of one level of this term, using the names fixest prints.
    ///
    /// `i(year, treat)` at level 2012 gives `year::2012:treat`.
    public func coefficientName(level: String) -> String {
        Indicator.indicatorName(
            factor: Expression.displayName(of: factor),
            level: level,
            interaction: interaction?.name
        )
    }

    /// The fixest coefficient name of a level: `f::level`, or `f::level:z` with an interaction.
    public static func indicatorName(factor: String, level: String, interaction: String?) -> String {
        let base = "\(factor)::\(level)"
        guard let interaction else { return base }
        return "\(base):\(interaction)"
    }

    /// How fixest prints a numeric level: integral values without a decimal part (`2012`, `-1`),
    /// others in Swift's shortest round-tripping form (`1.5`).
    public static func levelName(_ value: Double) -> String {
        // Beyond 2^53 not every integer is representable, and Int64 conversion must stay in range;
        // such magnitudes fall back to the general form.
        if value.isFinite, value.rounded(.towardZero) == value, value.magnitude < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
