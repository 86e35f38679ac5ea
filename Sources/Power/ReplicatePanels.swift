// The panels of a power simulation's replicates (see PowerSimulation for the design).

import Foundation
import PanelData
import Primitives
import Simulation

/// One replicate's panel, with the names the DiD reads.
struct ReplicatePanel: Sendable {
    let table: DataTable
    let outcome: String, unit: String, time: String, cohort: String
}

/// Makes replicate b's panel at a given effect size.
struct ReplicatePanels: Sendable {
    private enum Kind: Sendable {
        /// Each unit's outcome by period index (NaN where absent), and per window start the units
        /// observed throughout the window.
        case resample(grid: [Double], periodValues: [Int], windows: [(start: Int, units: [Int])])
        case peru(PeruSimulationOptions, outcome: String)
    }

    private let kind: Kind
    private let treated: Int, controls: Int, pre: Int, post: Int

    init(source: PowerSimulation.Source, treated: Int, controls: Int, pre: Int, post: Int) throws {
        self.treated = treated
        self.controls = controls
        self.pre = pre
        self.post = post
        switch source {
        case let .resample(structure, outcome):
            let periods = structure.periodValues.count
            var periodIndex = [Int: Int]()
            for (index, period) in structure.periodValues.enumerated() { periodIndex[period] = index }
            var grid = [Double](repeating: .nan, count: structure.unitCount * periods)
            for row in 0..<structure.rowCount {
                guard let column = periodIndex[structure.periods[row]] else { continue }
                grid[Int(structure.unitCodes[row]) * periods + column] = outcome[row]
            }
            let length = pre + post
            var windows = [(start: Int, units: [Int])]()
            if periods >= length {
                for start in 0...(periods - length) {
                    let units = (0..<structure.unitCount).filter { unit in
                        (start..<(start + length)).allSatisfy { grid[unit * periods + $0].isFinite }
                    }
                    if units.count >= 2 { windows.append((start, units)) }
                }
            }
            guard !windows.isEmpty else {
                throw PowerError.noPilotWindow(source: structure.source, periods: length, available: periods)
            }
            kind = .resample(grid: grid, periodValues: structure.periodValues, windows: windows)
        case let .peru(base, outcome):
            let options = Self.peruOptions(base, treated: treated, controls: controls, pre: pre, post: post, scale: 1, seed: base.seed)
            // The design's sizes and years must suit the simulator before any replicate runs.
            try options.validate()
            kind = .peru(base, outcome: outcome)
        }
    }

    /// The simulator's options for the design: CBI coaching (which starts in 2014) for `treated`
    /// firms, `pre` years before 2014 and `post` from it, CBI's effects times `scale` and PUM's 0.
    static func peruOptions(_ base: PeruSimulationOptions, treated: Int, controls: Int, pre: Int, post: Int,
                            scale: Double, seed: UInt64) -> PeruSimulationOptions {
        var options = base
        options.seed = seed
        options.firms = treated + controls
        options.cbiFirms = treated
        options.firstYear = 2014 - pre
        options.lastYear = 2013 + post
        options.effectsOf = .cbi
        options.effectScale = scale
        return options
    }

    /// Replicate `replicate`'s panel with `effect` added (resampling) or as the effect scale (Peru).
    func panel(replicate: Int, seed: UInt64, effect: Double) throws -> ReplicatePanel {
        var stream = RandomStream(seed: seed, replicate: UInt64(replicate))
        switch kind {
        case let .resample(grid, periodValues, windows):
            let window = windows[Self.index(below: windows.count, &stream)]
            let periods = periodValues.count, length = pre + post, units = treated + controls
            let start = periodValues[window.start + pre]
            var firm = [Double](), year = [Double](), cohort = [Double](), outcome = [Double]()
            for draw in 0..<units {
                let unit = window.units[Self.index(below: window.units.count, &stream)]
                let isTreated = draw < treated
                for t in 0..<length {
                    firm.append(Double(draw + 1))
                    year.append(Double(periodValues[window.start + t]))
                    cohort.append(isTreated ? Double(start) : .nan)
                    outcome.append(grid[unit * periods + window.start + t] + (isTreated && t >= pre ? effect : 0))
                }
            }
            let table = DataTable(source: "resampled panel", names: ["firm", "year", "cohort", "y"],
                                  columns: [.numeric(firm), .numeric(year), .numeric(cohort), .numeric(outcome)], rowCount: firm.count)
            return ReplicatePanel(table: table, outcome: "y", unit: "firm", time: "year", cohort: "cohort")
        case let .peru(base, outcomeName):
            let options = Self.peruOptions(base, treated: treated, controls: controls, pre: pre, post: post,
                                           scale: effect, seed: stream.nextBits())
            let simulation = try PeruSimulation.generate(options)
            let bytes = Array(simulation.csv().utf8)
            let table = try bytes.withUnsafeBytes { buffer in
                try CSVReader.read(bytes: buffer, source: "simulated Peru panel", options: CSVReadOptions(threads: 1))
            }
            return ReplicatePanel(table: table, outcome: outcomeName, unit: "firm_id", time: "year", cohort: "cbi_cohort")
        }
    }

    /// A uniform index below `count`.
    private static func index(below count: Int, _ stream: inout RandomStream) -> Int {
        min(count - 1, Int(stream.nextUniform() * Double(count)))
    }
}
