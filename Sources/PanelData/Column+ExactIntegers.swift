/// Identifiers beyond 2^53: a double holds every integer up to 2^53 in magnitude exactly, and
/// beyond it only every second, fourth, ... one, so ids 2^53 + 1 and 2^53 read as the same number
/// and two firms would be merged into one fixed effect or cluster without a word.
///
/// The CSV reader keeps such integers exact by reading their column as text (`DecimalParser.
/// isIntegerBeyondExactRange`); a number that arrives as a double (Stata, SPSS, Arrow, or a CSV
/// written in exponent notation) has already lost the digits, so a command that groups rows by
/// it refuses, naming the column and the row.
extension Column {
    /// 2^53: every integer up to this magnitude is exact in a double.
    public static let largestExactInteger = 9_007_199_254_740_992.0

    /// The first value beyond ±2^53 (1-based row), or nil, for a numeric column; nil for text.
    public var firstBeyondExactIntegers: (row: Int, value: Double)? {
        guard case let .numeric(values) = self else { return nil }
        guard let index = values.firstIndex(where: { abs($0) > Self.largestExactInteger && $0.isFinite }) else { return nil }
        return (index + 1, values[index])
    }

    /// Why this column cannot tell its groups apart, for a command that uses it as `role`
    /// ("fixed-effect", "cluster", "unit"); nil when it can.
    public func identifierProblem(source: String, name: String, role: String) -> String? {
        guard let (row, value) = firstBeyondExactIntegers else { return nil }
        return "\(source): \(role) column '\(name)' has \(value) at row \(row), beyond ±2^53 = ±\(Int64(Self.largestExactInteger)), "
            + "where a number cannot tell neighbouring integers apart, so distinct identifiers may have been merged; "
            + "store the identifiers as text (a Stata str or Arrow string column; a CSV keeps integers written out in full exact) or renumber them"
    }
}
