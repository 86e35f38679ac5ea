/// Writes Arrow dates and timestamps as the ISO 8601 text pandas writes to CSV, so a date column
/// reads the same from Arrow as from the CSV it came from (as text, a factor for fixed effects).
enum ArrowTemporal {
    /// "YYYY-MM-DD" for a day count since 1970-01-01 (proleptic Gregorian calendar; the
    /// days-to-civil algorithm of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    static func date(daysSinceEpoch days: Int64) -> String {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// "YYYY-MM-DD HH:MM:SS", with a fraction when there is one, for a count of `unit`s
    /// (0 s, 1 ms, 2 µs, 3 ns) since the epoch; a time zone, if the column has one, is not
    /// applied: the value is shown in UTC, as Arrow stores it.
    static func timestamp(_ value: Int64, unit: Int) -> String {
        let perSecond: Int64 = [1, 1_000, 1_000_000, 1_000_000_000][min(max(unit, 0), 3)]
        let seconds = ArrowArrayDecoder.floorDivide(value, perSecond)
        let fraction = value - seconds * perSecond
        let days = ArrowArrayDecoder.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        var text = date(daysSinceEpoch: days)
            + " \(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
        if fraction != 0 {
            var digits = padded(fraction, [0, 3, 6, 9][min(max(unit, 0), 3)])
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// `value` with leading zeros to `width` digits (a minus sign before them).
    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
