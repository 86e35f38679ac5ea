/// The knobs of `quipu simulate peru`; every combination is deterministic.
public struct PeruSimulationOptions: Sendable, Equatable {
    /// Seed of all random streams; equal options give byte-identical output.
    public var seed: UInt64 = 1
    /// Number of firms. 600 gives about 52 CBI starters and about 100 PUM firms, as in the
    /// report; programme sizes scale in proportion.
    public var firms: Int = 600
    /// First panel year written to the CSV.
    public var firstYear = 2004
    /// Last panel year written to the CSV.
    public var lastYear = 2018
    /// When true, CBI also selects firms on their pre-programme growth trend, which breaks
    /// parallel trends for CBI; when false it selects on levels (export potential) only.
    public var selectionOnGrowth = false

    /// The default options: seed 1, 600 firms, 2004–2018, selection on levels.
    public init() {}

    /// Smallest firm count that still leaves a comparison group after both programmes.
    public static let minimumFirms = 200
    /// Largest firm count (33 times the report's sector), which keeps the panel in memory
    /// small even over the longest window (at most about 800,000 rows).
    public static let maximumFirms = 20_000
    /// Years the simulation can cover.
    public static let supportedYears = 1990...2030

    /// Checks the options, naming the first one that is out of range.
    public func validate() throws(SimulationError) {
        if firms < Self.minimumFirms || firms > Self.maximumFirms {
            throw SimulationError(
                "--firms must be between \(Self.minimumFirms) and \(Self.maximumFirms), got \(firms); "
                    + "fewer firms leave no comparison group beside the ~17% that CBI and PUM support")
        }
        if firstYear > lastYear {
            throw SimulationError("--years: the first year \(firstYear) is after the last year \(lastYear)")
        }
        if !Self.supportedYears.contains(firstYear) || !Self.supportedYears.contains(lastYear) {
            throw SimulationError(
                "--years must lie within \(Self.supportedYears.lowerBound)–\(Self.supportedYears.upperBound), "
                    + "got \(firstYear)–\(lastYear)")
        }
        if firstYear > PeruCalibration.cbiStartYear || lastYear < PeruCalibration.cbiFirstEffectYear + 1 {
            throw SimulationError(
                "--years must include 2014–2016 (the CBI baseline 2014 and its first effect years), "
                    + "got \(firstYear)–\(lastYear)")
        }
    }

    /// Parses a year range written `2004:2018` (or `2004-2018`, or a single year is rejected).
    public static func parseYears(_ text: String) throws(SimulationError) -> ClosedRange<Int> {
        let separators: Set<Character> = [":", "-"]
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        guard parts.count == 2,
              let first = Int(parts[0].trimmingSpaces), let last = Int(parts[1].trimmingSpaces)
        else {
            throw SimulationError("--years expects FIRST:LAST, for example 2004:2018, got '\(text)'")
        }
        guard first <= last else {
            throw SimulationError("--years: the first year \(first) is after the last year \(last)")
        }
        return first...last
    }
}

extension Substring {
    /// The text without leading and trailing spaces (no Foundation needed).
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
