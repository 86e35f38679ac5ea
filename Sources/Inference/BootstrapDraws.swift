/// Bootstrap replicates of every estimate of a set.
public struct BootstrapDraws: Sendable {
    /// The replicates, row-major (replicates × estimates).
    public let values: [Double]
    /// Number of replicates.
    public let count: Int
    /// Number of estimates per replicate.
    public let width: Int

    /// Draws from row-major `values` (`count` replicates of `width` estimates each).
    public init(values: [Double], count: Int, width: Int) {
        self.values = values
        self.count = count
        self.width = width
    }

    /// Replicate `b` of estimate `j`.
    public subscript(replicate b: Int, estimate j: Int) -> Double { values[b * width + j] }

    /// The replicates of estimate `j`.
    public func column(_ j: Int) -> [Double] { (0..<count).map { values[$0 * width + j] } }

    /// The critical value of a uniform (sup-t) band at `level` over the estimates `family`: the
    /// `level` quantile across replicates of max_j |replicate_j| / se_j (Callaway & Sant'Anna 2021,
    /// §4.1; R did's `mboot`). 0 for an empty family.
    public func supTCriticalValue(over family: [Int], standardErrors: [Double], level: Double) -> Double {
        var maxima = [Double](repeating: 0, count: count)
        for b in 0..<count {
            var largest = 0.0
            for j in family { largest = max(largest, abs(self[replicate: b, estimate: j]) / standardErrors[j]) }
            maxima[b] = largest
        }
        maxima.sort()
        return PairsClusterBootstrap.quantile(maxima, level)
    }
}
