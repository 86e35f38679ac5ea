/// The right-hand side's terms and intercept, built left to right as R does: `+ term` appends a
/// term not yet present, `- term` removes one added earlier.
///
/// Order matters as in R: `y ~ -x + x` keeps `x`, because the removal came first.
struct TermList {
    /// The terms kept so far, in the order first added.
    private(set) var terms: [Term] = []
    /// The members of `terms`, so long sums stay linear.
    private var present: Set<Term> = []
    /// Whether the intercept is kept; the last `0`, `1`, `- 1` or `- 0` decides.
    var hasIntercept = true

    /// Appends the terms not already present.
    mutating func add(_ newTerms: [Term]) {
        for term in newTerms where present.insert(term).inserted {
            terms.append(term)
        }
    }

    /// Removes the given terms; absent ones are ignored, as R ignores them.
    mutating func remove(_ oldTerms: [Term]) {
        let removed = Set(oldTerms)
        terms.removeAll { removed.contains($0) }
        present.subtract(removed)
    }

    /// `terms` without repetitions, keeping first occurrences.
    static func unique(_ terms: [Term]) -> [Term] {
        var seen: Set<Term> = []
        return terms.filter { seen.insert($0).inserted }
    }
}
