import Primitives

/// The untreated outcome process: firm levels and trends, macro and sub-sector shocks, and
/// persistent idiosyncratic noise.
///
/// Untreated log outcomes are additive in a firm effect, a firm trend, calendar effects and
/// stationary AR(1) noise. Selection never looks at the noise, so comparison firms are valid
/// counterfactuals after differencing out firm and year effects (up to random trend
/// differences). The parameters are illustrative: the report publishes none of them.
enum OutcomeModel {
    /// Median head count at entry (log); with SD 1.15 about 90% of firms are micro or small.
    static let logMedianEmployees = DeterministicMath.log(12)
    /// Mean and SD of firms' yearly log growth trend of sales and exports.
    static let meanGrowth = 0.02
    static let growthSD = 0.01
    /// Domestic sales per worker at the median, USD.
    static let logDomesticPerWorker = DeterministicMath.log(18_000)
    /// Log export level of a median-sized firm with average potential, when it exports.
    static let logExportLevelEU = DeterministicMath.log(16_000)
    static let logExportLevelNonEU = DeterministicMath.log(14_000)
    /// Intercepts of the export participation index (tuned for about 30–35% exporter years).
    static let participationEU = -0.75
    static let participationNonEU = -0.65

    /// Persistence and innovation SD of the AR(1) noise of each latent series.
    static let employmentNoise = (rho: 0.7, sd: 0.05)
    static let domesticNoise = (rho: 0.5, sd: 0.12)
    static let exportNoise = (rho: 0.5, sd: 0.22)
    static let participationNoise = (rho: 0.85, sd: 0.35)
    /// SD of the yearly sub-sector shock increments (a random walk).
    static let subsectorShockSD = 0.05

    /// Calendar effects 2004–2018 (log points, cumulative): steady growth, a 2009 pause, and the
    /// 2014–2015 slump (quinoa prices collapsed) with recovery in 2016, as the report describes.
    /// Head counts move little (the report sees flat or slightly falling permanent jobs); most
    /// growth is in value per worker. Keeping head-count growth small also keeps the rounding of
    /// small firms' head counts from bending their log trends away from larger firms'.
    /// Domestic sales and exports share one path (employment plus value per worker): were it
    /// otherwise, sales of export-intensive firms (the supported ones) would trend differently
    /// from others' without support, and parallel trends in log sales would fail by design.
    private static let macroEmployment = [0, 0.01, 0.02, 0.04, 0.05, 0.04, 0.05, 0.06, 0.07, 0.08, 0.08, 0.07, 0.08, 0.09, 0.10]
    private static let macroValuePerWorker = [0, 0.07, 0.14, 0.22, 0.31, 0.18, 0.29, 0.40, 0.49, 0.56, 0.52, 0.43, 0.50, 0.57, 0.62]
    /// Share of a firm's growth trend that shows in head counts; the rest is value per worker.
    static let employmentTrendShare = 0.3

    /// The calendar effect of `year`, extended linearly outside 2004–2018.
    static func macro(_ table: [Double], _ year: Int, slope: Double) -> Double {
        let first = PeruCalibration.historyCore.lowerBound
        let index = year - first
        if index < 0 { return (table.first ?? 0) + slope * Double(index) }
        if index >= table.count { return (table.last ?? 0) + slope * Double(index - table.count + 1) }
        return table[index]
    }

    static func employmentEffect(_ year: Int) -> Double { macro(macroEmployment, year, slope: 0.007) }
    static func valuePerWorkerEffect(_ year: Int) -> Double { macro(macroValuePerWorker, year, slope: 0.03) }

    /// Sub-sector random walks over `years`, keyed by (sub-sector, year) so that the path up to
    /// a year does not depend on later years.
    static func subsectorShocks(seed: UInt64, years: ClosedRange<Int>) -> [[Double]] {
        Subsector.allCases.map { subsector in
            var level = 0.0
            return years.map { year in
                if year > years.lowerBound {
                    var random = RandomStream(seed: seed, .subsectorYear, subsector.rawValue, year)
                    level += random.normal(mean: 0, sd: subsectorShockSD)
                }
                return level
            }
        }
    }
}
