import Inference
/// Recursive removal of singleton observations.
///
/// An observation alone in its level of some fixed effect is fitted perfectly by that level's
/// coefficient: it carries no information on the slopes but inflates N, which biases the
/// small-sample corrections. Removing it can create new singletons in other fixed effects, so the
/// removal repeats until none is left (Correia 2015, "Singletons, cluster-robust standard errors and
/// fixed effects: a bad mix"; the default of fixest 0.13, pyfixest and reghdfe).
public enum Singletons {
    /// The observations to keep after removing singletons recursively from all `factors`.
    /// Returns `nil` when nothing needs removing, the common case, so that callers skip a copy.
    public static func keepMask(for factors: [Factor]) -> [Bool]? {
        guard let count = factors.first?.observationCount, factors.count >= 1 else { return nil }
        var keep = [Bool](repeating: true, count: count)
        var removedAny = false
        while true {
            var removedThisRound = false
            for factor in factors {
                var sizes = [Int32](repeating: 0, count: factor.levelCount)
                factor.codes.withUnsafeBufferPointer { codes in
                    for index in 0..<count where keep[index] { sizes[Int(codes[index])] += 1 }
                }
                factor.codes.withUnsafeBufferPointer { codes in
                    for index in 0..<count where keep[index] && sizes[Int(codes[index])] == 1 {
                        keep[index] = false
                        removedThisRound = true
                    }
                }
            }
            if !removedThisRound { break }
            removedAny = true
        }
        return removedAny ? keep : nil
    }
}
