import ArgumentParser
import DiD
import Inference

/// `quipu did`'s standard errors, intervals, bootstrap and linear combinations.
struct DidInferenceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Covariance: cluster:UNIT (default), iid, hetero, cluster:VAR, cluster:VAR1+VAR2.", valueName: "vcov"),
            transform: CovarianceType.parsing)
    var vcov: CovarianceType?

    @Option(name: .long, help: "Cluster variable of the standard errors (default: the unit); the same as --vcov cluster:VAR.")
    var cluster: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @Option(name: .long, help: "Bootstrap for Callaway–Sant'Anna: multiplier (with uniform bands).")
    var bootstrap: DidBootstrap?

    @Option(name: .long, help: "Bootstrap replicates.")
    var reps: Int = 999

    @Option(name: .long, help: "Random seed of the bootstrap (results are identical for any --threads).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "A linear combination of estimates to report, e.g. \"(e0 + e1 + e2)/3\" or \"g2006 - g2004\"; repeatable.",
            transform: CombinationExpression.parsing)
    var combine: [CombinationExpression] = []
}

/// The bootstrap `quipu did` offers.
enum DidBootstrap: String, ExpressibleByArgument, CaseIterable {
    case multiplier
}
