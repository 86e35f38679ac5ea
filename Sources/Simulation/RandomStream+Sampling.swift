import Primitives

/// Weighted sampling without replacement.
extension RandomStream {
    /// Picks `count` distinct candidates with probabilities proportional to `weights`
    /// (Efraimidis–Spirakis: the largest keys log(u)/w win), all of them if there are fewer.
    ///
    /// Ties are broken by candidate value so the result never depends on sort stability.
    mutating func weightedSample(_ candidates: [Int], weights: [Double], count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var keyed: [(key: Double, candidate: Int)] = []
        keyed.reserveCapacity(candidates.count)
        for (candidate, weight) in zip(candidates, weights) {
            let safeWeight = weight.isFinite && weight > 0 ? weight : 1e-12
            keyed.append((DeterministicMath.log(nextUniformOpen()) / safeWeight, candidate))
        }
        keyed.sort { $0.key != $1.key ? $0.key > $1.key : $0.candidate < $1.candidate }
        return keyed.prefix(count).map(\.candidate)
    }

    /// One candidate chosen uniformly, or nil from an empty list.
    mutating func element(of candidates: [Int]) -> Int? {
        guard !candidates.isEmpty else { return nil }
        return candidates[integer(in: 0...(candidates.count - 1))]
    }
}

/// e^score clamped so that weights stay finite and positive.
func selectionWeight(_ score: Double) -> Double {
    DeterministicMath.exp(min(max(score, -30), 30))
}
