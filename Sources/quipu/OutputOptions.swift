import ArgumentParser

/// Options of a command that writes every format.
typealias OutputOptions = FormattedOutputOptions<OutputFormat>
/// Options of `quipu describe`.
typealias DescribeOutputOptions = FormattedOutputOptions<DescribeFormat>
/// Options of `quipu trends`.
typealias TrendsOutputOptions = FormattedOutputOptions<TrendsFormat>
/// Options of `quipu table`.
typealias TableOutputOptions = FormattedOutputOptions<TableFormat>

/// Where and how results are written.
struct FormattedOutputOptions<Format: OutputFormatChoice>: ParsableArguments {
    @Option(name: .long, help: "Output format.")
    var format: Format = .text

    @Option(name: .long, help: "Write the results to this file (atomically) instead of standard output.")
    var output: String?

    /// Checks the destination before any work: a missing directory should not cost a fit.
    func validate() throws {
        guard let output else { return }
        do {
            _ = try OutputDestination(path: output)
        } catch {
            throw ValidationError("--output \(error)")
        }
    }

    /// Writes the text to the output file, or to standard output, together with other results
    /// (an SVG plot, say) at their paths: all of them or, on any failure, none.
    func emit(_ text: String, alongside others: [(text: String, path: String)] = []) throws {
        let destination = try output.map { try OutputDestination(path: $0) } ?? .standardOutput
        let extras = try others.map { (text: $0.text, destination: try OutputDestination(path: $0.path)) }
        try AtomicFile.write(extras + [(text: text, destination: destination)])
    }
}
