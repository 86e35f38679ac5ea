import ArgumentParser
import Estimation
import Inference
import PanelData
import Reporting

/// `quipu feols`: least squares with absorbed fixed effects, as fixest's `feols`.
struct FeolsCommand: ParsableCommand, RegressionCommand {
    static let configuration = CommandConfiguration(
        commandName: "feols",
        abstract: "Fixed-effects OLS: y ~ x1 + x2 | fe1 + fe2, with iid, hetero or clustered standard errors."
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions

    @Option(name: .long, help: "fixest-style formula, e.g. \"y ~ treat + x | firm + year\"; c(y1, y2) ~ ..., sw(x1, x2) and csw(x1, x2) estimate several models.")
    var formula: String

    @Option(name: .long, help: "Covariance: iid (default, as fixest 0.13), hetero, cluster:VAR or cluster:VAR1+VAR2.", transform: CovarianceType.parsing)
    var vcov: CovarianceType = .iid

    @Option(name: .long, help: "Column of analytic weights (positive; zero weights drop the row).")
    var weights: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @OptionGroup var fixedEffects: FixedEffectOptions

    @OptionGroup var splitting: SplitOptions
    @OptionGroup var testing: MultipleTestingOptions
    @OptionGroup var resampling: BootstrapOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    static let commandName = "feols"
    static let memoryDemand = MemoryDemand.leastSquares

    func validate() throws {
        try validateRegression()
    }

    func run() throws {
        try runRegression()
    }
}
