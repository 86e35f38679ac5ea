/// The empirical quantile of R's type 1 (the inverse of the empirical CDF; Hyndman & Fan 1996,
/// definition 1), the one definition the distributional estimators (DiD/Distributional) and the
/// simulator's quantile truth share, with R's arithmetic (`quantile.default`): j = floor(n·p·(1 +
/// 4ε)), h = [n·p > j], the order statistic x_(j+h) clamped to 1…n. The fuzz matters: ranks such
/// as k/n₀₀ times n₀₁ can land one ulp above an integer; R `qte` and diff-diff pick the order
/// statistic this picks.
public enum EmpiricalQuantile {
    /// The 1-based order statistic of the type-1 quantile at `p` of `count` values (count > 0).
    public static func type1Rank(_ p: Double, count n: Int) -> Int {
        let clamped = min(max(p, 0), 1)
        let nppm = Double(n) * clamped
        let j = Int((nppm * (1 + 4 * Double.ulpOfOne)).rounded(.down))
        let h = nppm > Double(j) ? 1 : 0
        return min(max(j + h, 1), n)
    }

    /// The type-1 quantile of ascending `sorted` values; nil when there are none.
    public static func type1<Value>(_ sorted: [Value], _ p: Double) -> Value? {
        sorted.isEmpty ? nil : sorted[type1Rank(p, count: sorted.count) - 1]
    }
}
