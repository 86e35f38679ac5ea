import ArgumentParser
import DiD

/// Which difference-in-differences estimates `quipu did` makes: the estimator, the 2x2 and the
/// event study, and the diagnostics beside them.
struct DidEstimatorOptions: ParsableArguments {
    @Option(name: .long, help: "Estimator: auto (TWFE with one cohort; Callaway–Sant'Anna first, TWFE beside it, with staggered cohorts; with --model poisson the extended TWFE first), twfe, cs, sunab, imputation, etwfe (Wooldridge's extended TWFE; linear, poisson or logit), twostage (Gardner's two-stage DiD as did2s: imputation's estimates, GMM standard errors), cic, qdid, qtt (distributional effects at --quantiles), ddd (triple differences with --partition), dcdh (de Chaisemartin–D'Haultfœuille, a treatment that switches on and off, with --treatment), all (every estimator of the model's scale; not ddd or dcdh).")
    var estimator: EstimatorChoice = .auto

    @Option(name: .long, help: "First post period for the 2x2 estimate (ever vs never treated, before vs after).")
    var post: Int?

    @Flag(name: .customLong("event-study"), help: "Estimate the event-study profile and the pre-trend test.")
    var eventStudy = false

    @Option(name: .long, parsing: .unconditional, help: "Reference relative period of the event study.")
    var ref: Int = -1

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Event-study window LOW:HIGH, e.g. -5:5; its end points bin the periods beyond.", valueName: "window"),
            transform: EventWindow.parsing)
    var window: EventWindow?

    @Option(name: .long, help: "Leads in the imputation estimator's pre-trend test (Borusyak–Jaravel–Spiess): -1 to -K; 0 skips it.")
    var leads: Int = 3

    @Flag(name: .long, help: "Goodman-Bacon decomposition of the TWFE estimate into all 2x2 comparisons (balanced panels).")
    var decompose = false
}

extension EstimatorChoice: ExpressibleByArgument {}
