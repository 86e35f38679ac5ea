import ArgumentParser
import Simulation

/// `quipu simulate`: data sets with known effects, for learning the tool and testing estimators.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate panels with known programme effects.",
        subcommands: [SimulatePeruCommand.self]
    )
}

/// `quipu simulate peru`: the firm panel calibrated to the PRIME case study of support to Peru's
/// natural-ingredients exporters (CBI export coaching, PUM expert missions).
struct SimulatePeruCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peru",
        abstract: "Simulate the Peru natural-ingredients firm panel (CBI coaching, PUM missions) with its true effects."
    )

    @Option(name: .long, help: "Random seed; the same seed gives the same file, byte for byte.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Number of firms (200 to 20,000).")
    var firms: Int = 600

    @Option(name: .long, help: ArgumentHelp("Years FIRST:LAST (must include 2014–2016).", valueName: "years"), transform: YearRange.parsing)
    var years = YearRange(years: 2004...2018)

    @Flag(name: .customLong("selection-on-growth"), help: "CBI also selects firms on their pre-support growth (violates parallel trends).")
    var selectionOnGrowth = false

    @Option(name: .customLong("effect-scale"), help: ArgumentHelp("Every true effect times X (-10 to 10; 0: no effect at all).", valueName: "X"))
    var effectScale: Double = 1

    @Option(name: .customLong("effects-of"), help: ArgumentHelp(
        "Programmes with effects (the other's are 0; with one, its parallel trends hold unconditionally).",
        valueName: "programmes"))
    var effectsOf: PeruSimulationOptions.EffectsOf = .both

    @Option(name: .customLong("cbi-firms"), help: ArgumentHelp("Firms that start CBI coaching in 2014, dropouts included (default: 52 per 600 firms).", valueName: "n"))
    var cbiFirms: Int?

    @Option(name: .customLong("pum-firms"), help: ArgumentHelp("Firms with a PUM mission (default: about 102 per 600 firms).", valueName: "n"))
    var pumFirms: Int?

    @Option(name: .long, help: "Write the panel CSV here (default: standard output).")
    var output: String?

    @Option(name: .long, help: "Write the true effects here; .json for JSON, anything else for CSV.")
    var truth: String?

    func validate() throws {
        do {
            try AtomicFile.refuseSharedFiles([("--output", output), ("--truth", truth)])
            // Out-of-range values are usage errors (exit 64), found before anything is generated.
            try simulationOptions.validate()
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    /// The options as the simulation takes them.
    var simulationOptions: PeruSimulationOptions {
        var options = PeruSimulationOptions()
        options.seed = seed
        options.firms = firms
        options.firstYear = years.years.lowerBound
        options.lastYear = years.years.upperBound
        options.selectionOnGrowth = selectionOnGrowth
        options.effectScale = effectScale
        options.effectsOf = effectsOf
        options.cbiFirms = cbiFirms
        options.pumFirms = pumFirms
        return options
    }

    func run() throws {
        try reportingFailures {
            // Every destination is checked before the panel is generated, and the files are
            // written all or nothing: a bad --output must not leave a --truth file behind.
            let truthDestination = try truth.map { try OutputDestination(path: $0) }
            let panelDestination = try output.map { try OutputDestination(path: $0) } ?? .standardOutput
            let simulation = try PeruSimulation.generate(simulationOptions)
            var results = [(text: simulation.csv(), destination: panelDestination)]
            if let truth, let truthDestination {
                results.append((truth.lowercased().hasSuffix(".json") ? simulation.truthJSON() : simulation.truthCSV(), truthDestination))
            }
            try AtomicFile.write(results)
        }
    }
}

extension PeruSimulationOptions.EffectsOf: ExpressibleByArgument {}
