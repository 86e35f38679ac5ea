@testable import Simulation

/// The default run (seed 1, 600 firms, 2004–2018), generated once for all suites.
let defaultRun: PeruSimulation? = try? PeruSimulation.generate(PeruSimulationOptions())

/// Options with a different seed or window.
func options(seed: UInt64 = 1, firms: Int = 600, years: ClosedRange<Int> = 2004...2018, growth: Bool = false,
             effectScale: Double = 1, effectsOf: PeruSimulationOptions.EffectsOf = .both,
             cbiFirms: Int? = nil, pumFirms: Int? = nil) -> PeruSimulationOptions {
    var options = PeruSimulationOptions()
    options.seed = seed
    options.firms = firms
    options.firstYear = years.lowerBound
    options.lastYear = years.upperBound
    options.selectionOnGrowth = growth
    options.effectScale = effectScale
    options.effectsOf = effectsOf
    options.cbiFirms = cbiFirms
    options.pumFirms = pumFirms
    return options
}

/// FNV-1a over the UTF-8 bytes: a platform-independent fingerprint of an output.
func fingerprint(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

/// One firm's rows, keyed by firm id.
func recordsByFirm(_ simulation: PeruSimulation) -> [Int: [FirmYearRecord]] {
    Dictionary(grouping: simulation.records, by: \.firmID)
}

/// The median of a non-empty list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
