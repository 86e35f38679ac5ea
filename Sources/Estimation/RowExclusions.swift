/// Why each row of the data is left out of a model: a missing value, a non-finite number, a
/// transformation undefined at the row's value (log of zero), or a zero weight.
///
/// The first reason found for a row sticks, so each dropped row is counted once, under the reason
/// met first in the order the model frame reads its variables (response, regressors, weights,
/// fixed effects, clusters).
struct RowExclusions {
    /// The counts by reason, in the order reports list them.
    struct Counts: Sendable {
        /// Rows with a missing value (empty, NA, NaN) in a variable used.
        var missing = 0
        /// Rows with an infinite value (inf, or a number beyond the double range such as 1e400) in
        /// a variable used, or an interaction whose product overflows.
        var nonFinite = 0
        /// Rows dropped because a function of a present value is undefined, by reason
        /// ("log of zero or negative"), in the order the reasons were first met.
        var undefinedTransforms: [(reason: String, rows: Int)] = []
        /// Rows dropped for a zero weight.
        var zeroWeight = 0

        /// All rows dropped because a function was undefined, whatever the function.
        var undefinedTransform: Int { undefinedTransforms.reduce(0) { $0 + $1.rows } }
    }

    /// Codes: 0 kept, then the fixed reasons, then one code per transformation reason (a formula
    /// uses a handful of functions, far fewer than a byte's codes).
    private static let kept: UInt8 = 0, missing: UInt8 = 1, nonFinite: UInt8 = 2, zeroWeight: UInt8 = 3
    private static let firstTransformCode = 4

    private var codes: [UInt8]
    private var transformReasons: [String] = []

    /// Every one of `rowCount` rows kept.
    init(rowCount: Int) {
        codes = [UInt8](repeating: Self.kept, count: rowCount)
    }

    /// The number of rows.
    var rowCount: Int { codes.count }

    /// Whether row `row` is still kept.
    func isKept(_ row: Int) -> Bool { codes[row] == Self.kept }

    /// The number of rows still kept.
    var keptCount: Int { codes.reduce(0) { $0 + ($1 == Self.kept ? 1 : 0) } }

    /// One flag per row, true where kept.
    var keepMask: [Bool] { codes.map { $0 == Self.kept } }

    /// Marks rows whose value is NaN as missing and rows whose value is infinite as non-finite.
    mutating func markUnusable(_ values: [Double]) {
        values.withUnsafeBufferPointer { source in
            codes.withUnsafeMutableBufferPointer { reasons in
                for row in 0..<source.count where reasons[row] == Self.kept && !source[row].isFinite {
                    reasons[row] = source[row].isNaN ? Self.missing : Self.nonFinite
                }
            }
        }
    }

    /// Marks one row as missing (a text column's empty cell, say).
    mutating func markMissing(_ row: Int) {
        if codes[row] == Self.kept { codes[row] = Self.missing }
    }

    /// Marks one row as dropped for a zero weight.
    mutating func markZeroWeight(_ row: Int) {
        if codes[row] == Self.kept { codes[row] = Self.zeroWeight }
    }

    /// Marks rows where `result` is not finite although every argument is: the step named by
    /// `reason` is undefined there. Rows with an unusable argument are marked as such.
    mutating func markUndefined(_ result: [Double], arguments: [[Double]], reason: String) {
        for argument in arguments { markUnusable(argument) }
        var code: UInt8? = nil
        for row in 0..<result.count where codes[row] == Self.kept && !result[row].isFinite {
            if code == nil { code = transformCode(reason) }
            codes[row] = code ?? Self.nonFinite
        }
    }

    /// The code of a transformation reason, registered on first use. Past the codes a byte can
    /// hold, reasons share the last one rather than trap (formulas have a handful of functions).
    private mutating func transformCode(_ reason: String) -> UInt8 {
        if let index = transformReasons.firstIndex(of: reason) {
            return UInt8(clamping: Self.firstTransformCode + index)
        }
        transformReasons.append(reason)
        return UInt8(clamping: Self.firstTransformCode + transformReasons.count - 1)
    }

    /// The number of rows dropped for each reason.
    var counts: Counts {
        var tally = [Int](repeating: 0, count: 256)
        for code in codes { tally[Int(code)] += 1 }
        var result = Counts(missing: tally[Int(Self.missing)], nonFinite: tally[Int(Self.nonFinite)],
                            zeroWeight: tally[Int(Self.zeroWeight)])
        for (index, reason) in transformReasons.enumerated() {
            let code = Self.firstTransformCode + index
            guard code < tally.count, tally[code] > 0 else { continue }
            result.undefinedTransforms.append((reason, tally[code]))
        }
        return result
    }
}
