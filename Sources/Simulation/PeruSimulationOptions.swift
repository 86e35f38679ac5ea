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
    /// Every true log effect is multiplied by this (`--effect-scale`): 0 gives a panel without
    /// any effect, 2 doubles every log shift.
    public var effectScale = 1.0
    /// Firms that start CBI coaching in 2014, dropouts included (`--cbi-firms`); nil scales the
    /// report's 52 (of 600 firms) to `firms`.
    public var cbiFirms: Int?
    /// Firms with at least one PUM mission (`--pum-firms`); nil scales the report's missions
    /// (106 for about 100 firms, of 600) to `firms`.
    public var pumFirms: Int?
    /// Which programmes have effects (`--effects-of`); the other's effects are zero. With one
    /// programme's effects only, its untreated outcomes follow parallel trends unconditionally.
    public var effectsOf: EffectsOf = .both

    /// The programmes whose effects are switched on.
    public enum EffectsOf: String, CaseIterable, Sendable {
        case both, cbi, pum
    }

    /// The default options: seed 1, 600 firms, 2004–2018, selection on levels, every effect as
    /// designed.
    public init() {}

    /// The multiplier of `programme`'s effects: `effectScale`, or 0 when `effectsOf` leaves it out.
    public func effectScale(of programme: Programme) -> Double {
        switch effectsOf {
        case .both: effectScale
        case .cbi: programme == .cbi ? effectScale : 0
        case .pum: programme == .pum ? effectScale : 0
        }
    }

    /// The largest `--cbi-firms` or `--pum-firms`: a quarter of the firms, which leaves most
    /// firms as comparisons and each programme's eligible pool large enough.
    public var largestProgramme: Int { firms / 4 }

    /// The largest `|--effect-scale|`: ten times the designed effects already multiply EU
    /// exports several-fold.
    public static let largestEffectScale = 10.0

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
        for (option, count) in [("--cbi-firms", cbiFirms), ("--pum-firms", pumFirms)] {
            guard let count, count < 1 || count > largestProgramme else { continue }
            throw SimulationError(
                "\(option) must be between 1 and \(largestProgramme) (a quarter of --firms \(firms)), got \(count)")
        }
        if !effectScale.isFinite || abs(effectScale) > Self.largestEffectScale {
            throw SimulationError(
                "--effect-scale must be a number between -\(Int(Self.largestEffectScale)) and \(Int(Self.largestEffectScale)), got \(effectScale)")
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
