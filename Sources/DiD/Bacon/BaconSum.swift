/// A compensated (Kahan–Babuška–Neumaier) running sum.
///
/// The TWFE coefficient and the group means add up to N × T terms; plain summation loses
/// about log2(NT) bits on the way, enough on a panel of millions of rows to move the
/// agreement between the decomposition and the regression toward the 1e-10 that is promised.
/// The compensation keeps each sum within a couple of ulps of exact, whatever its length.
struct BaconSum {
    private var sum = 0.0
    private var compensation = 0.0

    /// Adds a term, carrying the low-order bits that the addition drops.
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    /// The sum so far.
    var value: Double { sum + compensation }
}
