import ArgumentParser
import DiD
import Inference

/// `quipu did`'s standard errors, intervals, bootstrap and linear combinations.
struct DidInferenceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Covariance: cluster:UNIT (default), iid, hetero, cluster:VAR, cluster:VAR1+VAR2, or cr2 (clustered by unit with Bell–McCaffrey's CR2 adjustment, for Sun–Abraham and the linear extended TWFE on panels with few-row cells; other estimators keep their clustered covariance).", valueName: "vcov"),
            transform: DidCovarianceChoice.parsing)
    var vcov: DidCovarianceChoice?

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

/// did's `--vcov`: a covariance of the regressions, or `cr2` (DiD/Design/DiDDesign+CR2.swift).
enum DidCovarianceChoice {
    case covariance(CovarianceType)
    /// Clustered by unit with the CR2 adjustment for Sun–Abraham and the linear extended TWFE.
    case cr2

    static func parsing(_ text: String) throws -> DidCovarianceChoice {
        text.lowercased() == "cr2" ? .cr2 : .covariance(try CovarianceType.parsing(text))
    }
}

extension DidInferenceOptions {
    /// The covariance type of the regressions (clustered by `unit` unless told otherwise).
    func covarianceType(unit: String) throws -> CovarianceType {
        switch vcov {
        case let .covariance(type)?: return type
        case .cr2?, nil: return try CovarianceType(parsing: "cluster:\(cluster ?? unit)")
        }
    }

    /// Whether `--vcov cr2` was asked for.
    var cr2: Bool {
        if case .cr2? = vcov { return true }
        return false
    }
}
