import ArgumentParser
import Partials
import Reporting

/// `quipu combine`: the partitions' partials made into one fit (docs/scaling.md section 5).
/// Given first-pass partials it writes the solution the second pass needs; given `--solution`
/// and the second-pass partials it writes the table `quipu feols` writes for the whole data.
struct CombineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "combine",
        abstract: "Combine quipu partial's partition sums: the solution (pass 1), then the feols table (pass 2).",
        discussion: """
            quipu combine m-*.arrow --output solution.arrow                  (first-pass partials: the solution)
            quipu combine --solution solution.arrow s-*.arrow --format json (second-pass partials: the results)
            Partials are combined in partition order, whatever the order given; a missing or repeated
            partition, or partials of different models, are refused.
            """
    )

    @Argument(help: "The partials, one per partition.")
    var partials: [String] = []

    @Option(name: .long, help: "The solution the second-pass partials were computed with; without it, the partials are first-pass ones and the solution is written to --output.")
    var solution: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !partials.isEmpty else { throw ValidationError("give the partials to combine") }
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1, got \(level)") }
        if solution == nil, output.output == nil {
            throw ValidationError("first-pass partials give a solution: name its file with --output")
        }
        try InputFiles.refuse(outputs: [("--output", output.output)], inputs: partials.map { ("a partial", $0) } + [("--solution", solution)])
    }

    func run() throws {
        try reportingFailures {
            for path in partials + (solution.map { [$0] } ?? []) { InputFiles.register(path) }
            guard let solution else {
                try PartialOutput.write(try CombinedSolution.records(paths: partials), to: output.output ?? "-")
                return
            }
            let fit = try CombinedFit.combine(solutionPath: solution, paths: partials)
            let table = CoefficientTable(leastSquares: fit.terms, statistics: fit.statistics, covariance: fit.covariance, weights: fit.weights,
                                         confidenceLevel: level)
            try output.emit(table)
        }
    }
}
