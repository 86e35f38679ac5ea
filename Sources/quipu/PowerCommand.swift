import ArgumentParser
import DiD
import Dispatch
import Formula
import PanelData
import Power
import Reporting
import Simulation

/// `quipu power`'s formats.
enum PowerFormat: String, OutputFormatChoice {
    case text, json
}

extension DesignPower.CriticalValues: ExpressibleByArgument {}

/// The planned evaluation.
struct PowerDesignOptions: ParsableArguments {
    @Option(name: .long, help: "Supported (treated) firms in the planned evaluation.")
    var treated: Int
    @Option(name: .long, help: "Unsupported (control) firms.")
    var controls: Int
    @Option(name: .long, help: "Years observed before support starts.")
    var pre: Int
    @Option(name: .long, help: "Years observed from the start of support.")
    var post: Int
    @Option(name: .long, help: "Significance level of the two-sided test.")
    var alpha: Double = 0.05
    @Option(name: .long, help: "Target power, at which the minimum detectable effect is given.")
    var power: Double = 0.8
    @Option(name: .long, help: "Also give the power against this effect (outcome units).")
    var effect: Double?
    @Option(name: .customLong("critical-values"), help: "t (Burlig et al., pcpanel) or normal (Bloom 1995, diff-diff).")
    var criticalValues: DesignPower.CriticalValues = .studentT
}

/// Where the errors' variance and serial correlation come from.
struct PowerCalibrationOptions: ParsableArguments {
    @Option(name: .long, help: "A pilot panel (CSV, Arrow, Stata, ...) to calibrate the errors from (with --outcome, --unit, --time).")
    var data: String?
    @Option(name: .long, help: "The outcome: a column or an expression such as log(sales).")
    var outcome: String?
    @Option(name: .long, help: "The firm identifier column of the pilot panel.")
    var unit: String?
    @Option(name: .long, help: "The year (period) column of the pilot panel.")
    var time: String?
    @Option(name: .long, help: "Without --data: the error variance σ² (after firm and year effects).")
    var variance: Double?
    @Option(name: .long, help: "Without --data: AR(1) correlation of the errors from one year to the next.")
    var ar1: Double?
    @Option(name: .long, help: ArgumentHelp("Without --data: average error covariances within pre-years, within post-years and across.", valueName: "pre,post,cross"))
    var covariances: String?
}

/// The simulation.
struct PowerSimulationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Also simulate: resample (firms drawn from --data, the effect added) or peru (the Peru simulator, CBI effects scaled).", valueName: "source"))
    var simulate: String?
    @Option(name: .long, help: "Replicates per effect size.")
    var replicates: Int = 500
    @Option(name: .long, help: ArgumentHelp("Effect sizes, comma-separated (default: 0 to 2 × the analytic MDE; peru: scales 0 to 2).", valueName: "list"))
    var effects: String?
    @Option(name: .long, help: "The DiD estimator each replicate runs: twfe, cs, sunab, imputation, etwfe.")
    var estimator: EstimatorChoice = .twfe
    @Option(name: .long, help: "Random seed; the same seed gives the same curve for any thread count.")
    var seed: UInt64 = 1
}

/// `quipu power`: the minimum detectable effect and power of a planned DiD evaluation.
struct PowerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Minimum detectable effect and power of a planned difference-in-differences evaluation.",
        discussion: """
            Analytic (Burlig, Preonas & Woerman 2020) with serially correlated errors calibrated from a pilot panel:
              quipu power --treated 48 --controls 500 --pre 5 --post 3 --data pilot.csv --outcome "log(sales)" --unit firm_id --time year
            and by simulation: add --simulate resample (or peru) --replicates 500.
            """
    )

    @OptionGroup(title: "Design") var design: PowerDesignOptions
    @OptionGroup(title: "Errors: a pilot panel or given values") var calibration: PowerCalibrationOptions
    @OptionGroup(title: "Simulation") var simulation: PowerSimulationOptions
    @OptionGroup(title: "Output") var output: FormattedOutputOptions<PowerFormat>
    @Option(name: .long, help: "Write the power curve as SVG to this path.")
    var plot: String?
    @OptionGroup(title: "Execution") var execution: ExecutionOptions

    func validate() throws {
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw ValidationError("--plot writes SVG: give a path ending in .svg, got '\(plot)'")
        }
        if let source = simulation.simulate, !["resample", "peru"].contains(source) {
            throw ValidationError("--simulate takes resample or peru, got '\(source)'")
        }
        _ = try effectGrid()
        _ = try givenCovariances()
        do { try AtomicFile.refuseSharedFiles([("--plot", plot), ("--output", output.output)]) } catch { throw ValidationError(String(describing: error)) }
    }

    /// `--effects` as numbers (a usage error when one does not parse).
    func effectGrid() throws -> [Double]? {
        guard let text = simulation.effects else { return nil }
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw ValidationError("--effects takes comma-separated numbers, got '\(text)'")
        }
        return values.compactMap { $0 }.sorted()
    }

    /// `--covariances` as three numbers.
    func givenCovariances() throws -> (Double, Double, Double)? {
        guard let text = calibration.covariances else { return nil }
        let values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 3, text.split(separator: ",").count == 3 else {
            throw ValidationError("--covariances takes three comma-separated numbers pre,post,cross, got '\(text)'")
        }
        return (values[0], values[1], values[2])
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            var simulationSeconds: Double? = nil
            var pilot: (structure: PanelStructure, outcome: [Double])? = nil
            let errors: ErrorCovariance
            if let data = calibration.data {
                guard let outcome = calibration.outcome, let unit = calibration.unit, let time = calibration.time else {
                    throw CommandError("power: calibrating from --data needs --outcome, --unit and --time")
                }
                let columns = try ModelFormula.parse("\(outcome) ~ 1").response.variables.union([unit, time])
                let table = try DataOptions.read(path: data, format: nil, delimiter: UInt8(ascii: ","), columns: columns, threads: execution.threads)
                let structure = try PanelStructure(table: table, unit: unit, time: time)
                let values = try OutcomeColumn(outcome: outcome, table: table).values
                pilot = (structure, values)
                errors = try ErrorCovariance(pilot: structure, outcome: values, pre: design.pre, post: design.post)
            } else if let variance = calibration.variance {
                if let (pre, post, cross) = try givenCovariances() {
                    errors = ErrorCovariance(variance: variance, preCovariance: pre, postCovariance: post, crossCovariance: cross)
                } else if let rho = calibration.ar1 {
                    guard rho > -1, rho < 1 else { throw CommandError("power: --ar1 must lie strictly between -1 and 1, got \(rho)") }
                    errors = .autoregressive(variance: variance, correlation: rho, pre: max(design.pre, 1), post: max(design.post, 1))
                } else {
                    errors = .independent(variance: variance)
                }
            } else {
                throw CommandError("power: give a pilot panel (--data with --outcome, --unit, --time) or the error --variance")
            }
            let analytic = try DesignPower(treated: design.treated, controls: design.controls, prePeriods: design.pre, postPeriods: design.post,
                                           errors: errors, significance: design.alpha, criticalValues: design.criticalValues)
            let mde = try analytic.minimumDetectableEffect(power: design.power)
            var simulated: PowerSummary.Simulated? = nil
            if let source = simulation.simulate {
                let simulationStarted = DispatchTime.now()
                let powerSource: PowerSimulation.Source
                var effects = try effectGrid()
                if source == "peru" {
                    guard let outcome = calibration.outcome else { throw CommandError("power: --simulate peru needs --outcome (a column of the simulated panel, e.g. log(export_eu))") }
                    powerSource = .peru(PeruSimulationOptions(), outcome: outcome)
                    effects = effects ?? [0, 0.5, 1, 1.5, 2]
                } else {
                    guard let pilot else { throw CommandError("power: --simulate resample draws firms from a pilot panel: give --data") }
                    powerSource = .resample(pilot.structure, outcome: pilot.outcome)
                    effects = effects ?? [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2].map { $0 * mde }
                }
                let run = PowerSimulation(source: powerSource, treated: design.treated, controls: design.controls, prePeriods: design.pre,
                                          postPeriods: design.post, effects: effects ?? [], replicates: simulation.replicates,
                                          significance: design.alpha, targetPower: design.power, estimator: simulation.estimator,
                                          seed: simulation.seed, threads: execution.threads)
                let curve = try run.run()
                simulated = .init(curve: curve, source: source, estimator: simulation.estimator.rawValue, replicates: simulation.replicates,
                                  seed: simulation.seed, seconds: ExecutionOptions.seconds(from: simulationStarted))
                simulationSeconds = simulated?.seconds
            }
            let summary = PowerSummary(design: analytic, dataSource: calibration.data, outcome: calibration.outcome,
                                       targetPower: design.power, effect: design.effect, simulated: simulated)
            let chart = plot.map { [(text: summary.chart.svg(), path: $0)] } ?? []
            switch output.format {
            case .text: try output.emit(summary.text, alongside: chart)
            case .json: try output.emit(summary.record.json.serialized() + "\n", alongside: chart)
            }
            execution.reportTimings(started: started, stages: simulationSeconds.map { [("simulation", $0)] } ?? [])
        }
    }
}
