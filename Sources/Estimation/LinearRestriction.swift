/// A linear restriction on coefficients, H0: Σ aⱼ βⱼ = r, written as on the command line:
/// `grant + grant_1 = 0`, `2*x1 - x2 = 0.5`, or a bare coefficient name (meaning `= 0`).
public struct LinearRestriction: Sendable, Equatable, CustomStringConvertible {
    /// The coefficient of each named term.
    public let weights: [(term: String, weight: Double)]
    /// The hypothesised value r.
    public let value: Double

    public static func == (lhs: LinearRestriction, rhs: LinearRestriction) -> Bool {
        lhs.value == rhs.value && lhs.weights.map(\.term) == rhs.weights.map(\.term) && lhs.weights.map(\.weight) == rhs.weights.map(\.weight)
    }

    /// The restriction that one coefficient equals `value`.
    public init(term: String, value: Double = 0) {
        self.weights = [(term, 1)]
        self.value = value
    }

    /// Parses `a*term + b*term - term = r`; term names are matched later against the model.
    public init(parsing text: String) throws(EstimationError) {
        let sides = text.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count <= 2, let left = sides.first, !left.isEmpty else {
            throw EstimationError("restriction '\(text)': write it as 'a*term + b*term = r', e.g. 'grant + grant_1 = 0'")
        }
        var value = 0.0
        if sides.count == 2 {
            guard let parsed = Double(sides[1]) else { throw EstimationError("restriction '\(text)': the right-hand side must be a number") }
            value = parsed
        }
        var weights = [(term: String, weight: Double)]()
        var sign = 1.0
        var current = ""
        func flush() throws(EstimationError) {
            let piece = current.trimmingCharacters(in: .whitespaces)
            current = ""
            guard !piece.isEmpty else { throw EstimationError("restriction '\(text)': a term is missing around '+' or '-'") }
            let factors = piece.split(separator: "*", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if factors.count == 2, let number = Double(factors[0]) {
                weights.append((factors[1], sign * number))
            } else if factors.count == 1 {
                weights.append((piece, sign))
            } else {
                throw EstimationError("restriction '\(text)': cannot read '\(piece)'; write 'number*term'")
            }
        }
        // Split on + and - that separate terms (not those inside names such as `year::-1`).
        var previous: Character = " "
        for character in left {
            if (character == "+" || character == "-") && previous != ":" && previous != "e" && previous != "E" {
                if !current.trimmingCharacters(in: .whitespaces).isEmpty { try flush() } else if !weights.isEmpty {
                    throw EstimationError("restriction '\(text)': two operators in a row")
                }
                sign = character == "-" ? -1 : 1
            } else {
                current.append(character)
            }
            if character != " " { previous = character }
        }
        try flush()
        self.weights = weights
        self.value = value
    }

    /// The restriction as a vector over `names`, or an error naming a term the model lacks;
    /// `absorbed` says why a term absorbed by the fixed effects has no coefficient.
    public func vector(over names: [String], collinear: [String], absorbed: (String) -> String? = { _ in nil })
        throws(EstimationError) -> [Double]
    {
        var vector = [Double](repeating: 0, count: names.count)
        for (term, weight) in weights {
            guard let index = names.firstIndex(of: term) else {
                if let reason = absorbed(term) {
                    throw EstimationError("restriction '\(description)': '\(term)' \(reason), so no restriction on it can be tested")
                }
                if collinear.contains(term) {
                    throw EstimationError("'\(term)' was dropped as collinear, so no restriction on it can be tested")
                }
                throw EstimationError("'\(term)' is not a coefficient of the model; its coefficients are " + names.map { "'\($0)'" }.joined(separator: ", "))
            }
            vector[index] += weight
        }
        guard vector.contains(where: { $0 != 0 }) else { throw EstimationError("the restriction has no non-zero coefficient") }
        return vector
    }

    public var description: String {
        var text = ""
        for (index, (term, weight)) in weights.enumerated() {
            let magnitude = abs(weight)
            let sign = weight < 0 ? (index == 0 ? "-" : " - ") : (index == 0 ? "" : " + ")
            text += sign + (magnitude == 1 ? term : "\(magnitude)*\(term)")
        }
        return text + " = \(value)"
    }
}
