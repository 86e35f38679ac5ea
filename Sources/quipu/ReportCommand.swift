import ArgumentParser
import LinearAlgebra
import Foundation
import PanelData
import Reporting
import Reports
import Primitives

/// `quipu report`: a whole evaluation from one spec file, written to a report directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A whole evaluation from a YAML spec: sample, overlap, raw trends, effects by programme × outcome × estimator, event studies, pre-trend tests, Goodman-Bacon, bootstrap and subgroups, as HTML, Markdown, CSV, LaTeX, SVG and JSON.",
        discussion: """
            The spec (YAML) names the data, unit, time, programmes (each with its cohort column and estimators), \
            outcomes with their scale (log, level, poisson, extensive), covariates, subgroups, row filters and \
            inference; see the README's "Evaluation reports" for its keys, and \
            Datasets/peru-natural-ingredients/evaluation.yaml for an example. The output directory receives \
            report.html (self-contained), report.md, tables/*.csv and *.tex, plots/*.svg, results.json and \
            manifest.json, all or nothing. A spec error names the spec's line and key and writes nothing.
            """
    )

    @Option(name: .long, help: "The evaluation spec (YAML).")
    var spec: String

    @Option(name: .long, help: "The report directory to write (replaced whole only if it holds an earlier Quipu report and nothing else; a symbolic link is followed).")
    var out: String

    @Option(name: .long, help: "Worker threads (default: the spec's inference.threads, else all cores); results do not depend on it.")
    var threads: Int?

    @Flag(name: .long, help: "Print no progress on standard error, even on a terminal.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            let evaluation = try EvaluationSpec.load(path: spec)
            // Refuse a directory that cannot be replaced before any estimate is computed.
            let inputs = [spec, evaluation.dataPath]
            try ReportDirectory.checkReplaceable(out, protecting: inputs)
            let threadCount = threads ?? evaluation.inference.threads ?? ProcessInfo.processInfo.activeProcessorCount
            let table: DataTable
            do {
                // The reader of --data: the format follows the extension (CSV, .csv.gz, .dta, .sav,
                // Arrow). Every column is kept, so that a misspelt column in the spec is reported
                // at its line with the closest names.
                table = try DataOptions.read(path: evaluation.dataPath, format: nil, delimiter: UInt8(ascii: ","), columns: nil, threads: threadCount)
            } catch {
                throw SpecError(path: spec, location: evaluation.keyLocations["data"], "cannot read the data: \(error)")
            }
            try evaluation.validate(against: table)
            BLASThreads.set(1)
            var runner = try EvaluationRunner(spec: evaluation, table: table, threads: threadCount)
            if !quiet && isatty(STDERR_FILENO) == 1 {
                runner.progress = { step, steps, what in
                    FileHandle.standardError.write(Data("\u{1B}[2K\r[\(step)/\(steps)] \(what)".prefix(160).utf8))
                }
            }
            let results = try runner.run()
            if !quiet && isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
            // A report without a single number would read as an evaluation that found nothing.
            guard results.effects.contains(where: { $0.failure == nil }) else {
                throw CommandError("\(spec): no estimate could be made, so no report was written:\n" + results.effects.map {
                    "  \($0.programme) × \($0.outcome) (\($0.estimator.displayName)): \($0.failure ?? "no estimate")"
                }.joined(separator: "\n"))
            }
            var files = results.files
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            files.append(("manifest.json", try manifest(evaluation, threads: threadCount, seconds: seconds, files: files).serialized() + "\n"))
            try ReportDirectory.write(files, to: out, protecting: inputs)
            // Written and checked, not print()ed: a full disk or closed pipe behind standard
            // output must fail the command, not vanish in a buffer.
            try StagedOutput.writeAll("Report written to \(URL(fileURLWithPath: out).standardizedFileURL.path)/report.html\n\n" + results.headlineText,
                                      to: STDOUT_FILENO, name: "standard output")
        }
    }

    /// What a reader needs to reproduce every number: the version and commit, the spec, the
    /// data's digest, the seed and threads, and when and how long it ran.
    func manifest(_ evaluation: EvaluationSpec, threads: Int, seconds: Double, files: [(path: String, contents: String)]) throws -> JSONValue {
        JSONValue.object([
            ("quipu_version", .string(Quipu.configuration.version)),
            ("quipu_commit", Self.commit().map { .string($0) } ?? .null),
            ("command", .string("quipu report --spec \(spec) --out \(out)")),
            ("spec_path", .string(spec)),
            ("spec", .string(evaluation.text)),
            ("data", .object([("path", .string(evaluation.data)), ("sha256", .string(try SHA256Digest.file(evaluation.dataPath)))])),
            ("seed", .string(String(evaluation.inference.seed))),
            ("bootstrap_replicates", .integer(evaluation.inference.bootstrapReplicates)),
            ("threads", .integer(threads)),
            ("started_at", .string(ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -seconds)))),
            ("wall_seconds", .number((seconds * 1000).rounded() / 1000)),
            ("files", .array(files.map { .string($0.path) })),
        ]).versioned()
    }

    /// The commit of the source tree the binary was built in, when git can tell (with "-dirty"
    /// when it has uncommitted changes).
    static func commit() -> String? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        func git(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", executable.deletingLastPathComponent().path] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let head = git(["rev-parse", "HEAD"]), !head.isEmpty else { return nil }
        let dirty = git(["status", "--porcelain", "--untracked-files=no"]).map { !$0.isEmpty } ?? false
        return dirty ? head + "-dirty" : head
    }
}
