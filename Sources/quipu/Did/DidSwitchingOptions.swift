import ArgumentParser
import DiD

/// `quipu did --estimator dcdh`: a treatment that may switch on and off (de Chaisemartin &
/// D'Haultfœuille 2024, as R/Stata `did_multiplegt_dyn`).
struct DidSwitchingOptions: ParsableArguments {
    @Option(name: .long, help: "With --estimator dcdh: the treatment column, binary or discrete (0, 1, 2, ...), which may switch on and off; each unit's effects follow its first change.")
    var treatment: String?

    @Option(name: .long, help: "With --estimator dcdh: effects ℓ = 1..L periods after the first change (event times 0..L−1).")
    var effects: Int = 1

    @Option(name: .long, help: "With --estimator dcdh: placebos ℓ = 1..K before the first change (event times −2..−1−K, relative to −1).")
    var placebo: Int = 0

    @Flag(name: .long, help: "With --estimator dcdh: divide each effect by the switchers' mean cumulated change of treatment (did_multiplegt_dyn's normalized effects).")
    var normalized = false

    @Option(name: .long, help: "With --estimator dcdh: which switchers: both (default; leavers with the sign of their change), in (treatment first rises), out (first falls).")
    var switchers: SwitchingTreatmentOptions.Switchers = .both

    /// Refuses these options without dcdh, and dcdh without a treatment column.
    func validate(estimator: EstimatorChoice) throws {
        guard estimator == .dcdh else {
            if treatment != nil { throw ValidationError("--treatment is the switching treatment of --estimator dcdh; the other estimators take --treat (0/1 absorbing) or --cohort") }
            if effects != 1 || placebo != 0 || normalized || switchers != .both {
                throw ValidationError("--effects, --placebo, --normalized and --switchers apply to --estimator dcdh")
            }
            return
        }
        guard treatment != nil else { throw ValidationError("--estimator dcdh needs --treatment COLUMN (a binary or discrete treatment that may switch on and off)") }
        guard (1...1000).contains(effects) else { throw ValidationError("--effects must be between 1 and 1000, got \(effects)") }
        guard (0...1000).contains(placebo) else { throw ValidationError("--placebo must be between 0 and 1000, got \(placebo)") }
    }

    /// The estimator's options, when dcdh is chosen.
    var options: SwitchingTreatmentOptions? {
        guard let treatment else { return nil }
        var options = SwitchingTreatmentOptions(treatment: treatment)
        options.effects = effects
        options.placebos = placebo
        options.normalized = normalized
        options.switchers = switchers
        return options
    }
}

extension SwitchingTreatmentOptions.Switchers: ExpressibleByArgument {}

extension DidCommand {
    /// What `--estimator dcdh` does not take, refused before any data is read.
    func validateSwitching() throws {
        if panel.cohort != nil || panel.treat != nil {
            throw ValidationError("--estimator dcdh reads the treatment's path from --treatment; drop --treat/--cohort (cohorts assume an absorbing treatment)")
        }
        if model.model != .linear { throw ValidationError("--estimator dcdh is linear: drop --model \(model.model.rawValue)") }
        if model.covariates != nil { throw ValidationError("--estimator dcdh takes no --covariates: did_multiplegt_dyn's time-varying controls are not implemented yet") }
        if !model.fe.isEmpty { throw ValidationError("--estimator dcdh takes no --fe: its comparisons are between units with the same first-period treatment, with no fixed effects") }
        if inference.bootstrap != nil { throw ValidationError("--bootstrap is not available with --estimator dcdh: its standard errors are analytic") }
        if design.eventStudy { throw ValidationError("--event-study is TWFE's; dcdh's event study is its --effects and --placebo") }
    }
}
