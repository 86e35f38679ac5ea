import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import QuipuTestSupport
#endif

/// Issue 10's bad-input audit, items 2, 6, 7, 9, 10, 13 and 15–19: every case exits as it should,
/// says why in the command's own terms, and leaves no output file behind.
@Suite(.tags(.slow)) struct HardeningCommandTests {
    static let jtrain = ["--data", "Datasets/jtrain/jtrain.csv", "--formula", "lscrap ~ grant + grant_1 | fcode + year", "--vcov", "cluster:fcode"]

    /// A firm panel over 2001–2004: `treated` firms get d = 1 from 2003, y responds to d.
    static func panel(firms: Int = 30, treated: Int = 3) -> String {
        var lines = ["firm,year,cohort,d,y,size"]
        for firm in 1...firms {
            for year in 2001...2004 {
                let d = firm <= treated && year >= 2003 ? 1 : 0
                // Not additive in firm and year, so the fixed effects leave residuals.
                let noise = Double((firm * 7919 + year * year * firm * 131) % 997) / 997 - 0.5
                lines.append("\(firm),\(year),\(firm <= treated ? 2003 : 0),\(d),\(Double(firm) * 0.1 + Double(year - 2000) * 0.2 + noise + 0.3 * Double(d)),\(firm % 2 == 0 ? "large" : "small")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs quipu with standard output sent to `standardOutput` (a path) and, when given, the
    /// address space limited to `addressSpaceKB` (`ulimit -v`).
    static func run(_ arguments: [String], standardOutput: String? = nil, addressSpaceKB: Int? = nil) throws -> Invocation {
        let binary = repositoryRoot.appendingPathComponent(".build/debug/quipu").path
        let process = Process()
        if let addressSpaceKB {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -v \(addressSpaceKB) && exec \"$0\" \"$@\"", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe(), error = Pipe()
        if let standardOutput {
            process.standardOutput = try #require(FileHandle(forWritingAtPath: standardOutput))
        } else {
            process.standardOutput = output
        }
        process.standardError = error
        try process.run()
        let outData = standardOutput == nil ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Invocation(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                          standardError: String(decoding: errData, as: UTF8.self))
    }

    /// Expects a clean refusal: non-zero exit, every fragment in the message, no crash, no file.
    static func expectRefusal(_ run: Invocation, _ fragments: [String], noFileAt output: String? = nil,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status != 0, "exit 0: \(run.standardOutput.prefix(300))", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(run.standardError.contains(fragment), "'\(fragment)' not in: \(run.standardError)", sourceLocation: sourceLocation)
        }
        #expect(!run.standardError.contains("Fatal error") && !run.standardError.contains("Stack dump"), sourceLocation: sourceLocation)
        if let output {
            #expect(!FileManager.default.fileExists(atPath: output), "output file left behind", sourceLocation: sourceLocation)
        }
    }

    // MARK: 2, 6: replicate counts

    @Test func repsNearIntMaxIsRefusedWithoutATrap() throws {
        let output = try temporaryOutputPath()
        let run = try runQuipu(["feols"] + Self.jtrain + ["--bootstrap", "wild", "--reps", String(Int.max), "--output", output])
        Self.expectRefusal(run, ["--reps", "at most 1,000,000,000"], noFileAt: output)
    }

    /// 10^9 replicates need far more than a 4 GB address space: refused with the figure (without the
    /// check, the allocation fails at once under the limit instead of running for an hour).
    @Test(arguments: ["wild", "pairs"])
    func repsBeyondMemoryAreRefusedWithTheFigure(method: String) throws {
        let output = try temporaryOutputPath()
        let run = try Self.run(["feols"] + Self.jtrain + ["--bootstrap", method, "--reps", "1000000000", "--param", "grant", "--output", output],
                               addressSpaceKB: 4_000_000)
        Self.expectRefusal(run, ["1000000000 replicates", "GB of memory", "more than the", "--reps"], noFileAt: output)
    }

    @Test func tooFewRepsForTheLevelAreRefused() throws {
        let output = try temporaryOutputPath()
        let one = try runQuipu(["feols"] + Self.jtrain + ["--bootstrap", "wild", "--reps", "1", "--param", "grant", "--output", output])
        Self.expectRefusal(one, ["--reps 1 is too few for a 95% interval", "at least 19"], noFileAt: output)
        let pairs = try runQuipu(["feols"] + Self.jtrain + ["--bootstrap", "pairs", "--reps", "50", "--level", "0.99", "--output", output])
        Self.expectRefusal(pairs, ["too few for a 99% interval", "at least 99"], noFileAt: output)
        // 19 replicates reach 95%, with a warning about their Monte Carlo error.
        let enough = try runQuipu(["feols"] + Self.jtrain + ["--bootstrap", "wild", "--reps", "19", "--param", "grant", "--format", "json"])
        #expect(enough.status == 0, "\(enough.standardError)")
        #expect(enough.standardError.contains("warning: --reps 19") && enough.standardError.contains("999 or more"))
        let many = try runQuipu(["feols"] + Self.jtrain + ["--bootstrap", "wild", "--reps", "999", "--param", "grant"])
        #expect(many.status == 0 && !many.standardError.contains("--reps"), "\(many.standardError)")
    }

    /// Four clusters give 16 sign vectors: the p-value's steps of 1/16 are reported.
    @Test func enumerationTooSmallForTheLevelIsReported() throws {
        let path = try temporaryFile(Self.panel(firms: 4, treated: 2))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ d | firm + year", "--vcov", "cluster:firm",
                                "--bootstrap", "wild", "--reps", "99"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("only 16 Rademacher sign vectors") && run.standardError.contains("steps of 1/16"))
        #expect(run.standardError.contains("--boot-weights webb"))
    }

    // MARK: 7: few treated clusters

    @Test func fewTreatedClustersWarnWithBothVariants() throws {
        let path = try temporaryFile(Self.panel(firms: 30, treated: 3))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ d | firm + year", "--vcov", "cluster:firm",
                                "--bootstrap", "wild", "--reps", "999", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let message = run.standardError
        #expect(message.contains("only 3 of 30 bootstrap clusters (firm) have d = 1"), "\(message)")
        #expect(message.contains("MacKinnon & Webb") && message.contains("WCR") && message.contains("conservative"))
        #expect(message.contains("Both were run: WCR p = ") && message.contains("WCU p = "))
        // The JSON on standard output is unaffected.
        #expect(run.json?["coefficients"] != nil)
    }

    @Test func fewUntreatedClustersWarnToo() throws {
        let path = try temporaryFile(Self.panel(firms: 30, treated: 25))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ d | firm + year", "--vcov", "cluster:firm",
                                "--bootstrap", "wild", "--reps", "999", "--impose-null", "false"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("only 5 of 30 bootstrap clusters (firm) never have d = 1"), "\(run.standardError)")
    }

    @Test func enoughTreatedClustersDoNotWarn() throws {
        let path = try temporaryFile(Self.panel(firms: 30, treated: 15))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ d | firm + year", "--vcov", "cluster:firm",
                                "--bootstrap", "wild", "--reps", "999"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(!run.standardError.contains("bootstrap clusters"), "\(run.standardError)")
    }

    // MARK: 9, 10: CR-only files and files without rows

    @Test func carriageReturnFilesReadLikeLineFeedFiles() throws {
        let text = try String(contentsOfFile: repositoryRoot.appendingPathComponent("Datasets/jtrain/jtrain.csv").path, encoding: .utf8)
        let crOnly = try temporaryFile(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r"))
        let formula = ["--formula", "lscrap ~ grant + grant_1 | fcode + year", "--format", "json"]
        let reference = try runQuipu(["feols", "--data", "Datasets/jtrain/jtrain.csv"] + formula)
        let ours = try runQuipu(["feols", "--data", crOnly] + formula)
        #expect(ours.status == 0, "\(ours.standardError)")
        #expect(ours.json?["nobs"] as? Int == 162)
        #expect(ours.json?["coefficients"] as? [[String: Double]] != nil || ours.json?["coefficients"] != nil)
        #expect(ours.standardOutput.replacingOccurrences(of: crOnly, with: "") == reference.standardOutput.replacingOccurrences(of: "Datasets/jtrain/jtrain.csv", with: ""))
        let describe = try runQuipu(["describe", "--data", crOnly, "--unit", "fcode", "--time", "year", "--format", "json"])
        #expect(describe.status == 0 && describe.json?["units"] as? Int == 157, "\(describe.standardOutput.prefix(200))")
    }

    @Test(arguments: [
        ["describe", "--unit", "firm", "--time", "year"],
        ["did", "--outcome", "y", "--unit", "firm", "--time", "year", "--cohort", "cohort"],
        ["did", "--outcome", "y", "--unit", "firm", "--time", "year", "--treat", "d"],
        ["trends", "--outcome", "y", "--unit", "firm", "--time", "year", "--cohort", "cohort"],
        ["feols", "--formula", "y ~ d | firm"],
    ])
    func headerOnlyFilesSayTheyHaveNoRows(arguments: [String]) throws {
        for header in ["firm,year,cohort,d,y\n", "firm,year,cohort,d,y\r", "firm,year,cohort,d,y\n\n  \n"] {
            let path = try temporaryFile(header)
            let output = try temporaryOutputPath()
            let run = try runQuipu([arguments[0], "--data", path] + arguments.dropFirst() + ["--output", output])
            Self.expectRefusal(run, ["\(path): the data have no rows"], noFileAt: output)
            #expect(!run.standardError.contains("give --cohort") && !run.standardError.contains("needs --treat"))
        }
    }

    // MARK: 13: did's own terms

    @Test func didTextCovariateSpeaksDid() throws {
        let path = try temporaryFile(Self.panel(firms: 30, treated: 10))
        let output = try temporaryOutputPath()
        let base = ["did", "--data", path, "--outcome", "y", "--unit", "firm", "--time", "year", "--cohort", "cohort", "--covariates", "size"]
        for estimator in ["auto", "twfe", "sunab", "all"] {
            let run = try runQuipu(base + ["--estimator", estimator, "--output", output])
            Self.expectRefusal(run, ["covariate 'size' is text", "--estimator cs", "--fe \"year^size\""], noFileAt: output)
            #expect(!run.standardError.contains("i(size)") && !run.standardError.contains("formula"), "\(run.standardError)")
        }
        let cs = try runQuipu(base + ["--estimator", "cs"])
        #expect(cs.status == 0, "\(cs.standardError)")
    }

    // MARK: 15: help, README and behaviour agree

    /// The formats `--help` offers, from its "(values: ...)" list.
    static func offeredFormats(_ command: [String]) throws -> [String] {
        let help = try runQuipu(command + ["--help"]).standardOutput
        let flat = help.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        let start = try #require(flat.range(of: "--format <format>"))
        let values = try #require(flat[start.upperBound...].range(of: "(values: "))
        let end = try #require(flat[values.upperBound...].firstIndex(where: { $0 == ";" || $0 == ")" }))
        return flat[values.upperBound..<end].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func everyOfferedFormatWorks() throws {
        let path = try temporaryFile(Self.panel(firms: 30, treated: 10))
        let panel = ["--data", path, "--unit", "firm", "--time", "year", "--cohort", "cohort"]
        let commands: [[String]] = [
            ["feols", "--data", path, "--formula", "y ~ d | firm + year", "--vcov", "cluster:firm"],
            ["did", "--outcome", "y"] + panel,
            ["describe", "--outcomes", "y"] + panel,
            ["trends", "--outcome", "y"] + panel,
        ]
        for command in commands {
            let formats = try Self.offeredFormats(Array(command.prefix(1)))
            #expect(formats.contains("text") && formats.contains("json"), "\(command[0]): \(formats)")
            var outputs = [String: String]()
            for format in formats {
                let run = try runQuipu(command + ["--format", format])
                #expect(run.status == 0 && !run.standardOutput.isEmpty, "\(command[0]) --format \(format): \(run.standardError)")
                outputs[format] = run.standardOutput
            }
            #expect(Set(outputs.values).count == outputs.count, "\(command[0]): two formats print the same thing")
            if let json = outputs["json"] { #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil) }
        }
        #expect(try Self.offeredFormats(["describe"]) == ["text", "json", "markdown"])
        #expect(try Self.offeredFormats(["trends"]) == ["text", "csv", "json"])
        #expect(try Self.offeredFormats(["did"]).contains("csv"))
        let trendsText = try runQuipu(["trends", "--outcome", "y", "--format", "text"] + panel)
        #expect(!trendsText.standardOutput.hasPrefix("group,period"), "trends text must not be CSV")
        #expect(trendsText.standardOutput.contains("ever_treated"))
    }

    @Test func timingsAndTheAutomaticTwoByTwo() throws {
        // Two periods, support in the second: the 2x2 estimate appears without --post.
        var lines = ["firm,year,cohort,y"]
        for firm in 1...12 {
            for year in [2001, 2002] { lines.append("\(firm),\(year),\(firm <= 5 ? 2002 : 0),\(Double(firm % 4) + Double(year - 2000) + (firm <= 5 && year == 2002 ? 0.5 : 0) + Double(firm % 3) * 0.1)") }
        }
        let path = try temporaryFile(lines.joined(separator: "\n"))
        let run = try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "firm", "--time", "year", "--cohort", "cohort", "--timings"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("2x2") && run.standardOutput.contains("twfe"), "\(run.standardOutput)")
        #expect(run.standardError.contains("\"timings\""))
        for command in [["describe"], ["trends", "--outcome", "y"]] {
            let timed = try runQuipu(command + ["--data", path, "--unit", "firm", "--time", "year", "--cohort", "cohort", "--timings"])
            #expect(timed.status == 0 && timed.standardError.contains("\"timings\""), "\(command[0]): \(timed.standardError)")
        }
        let csv = try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "firm", "--time", "year", "--cohort", "cohort", "--format", "csv"])
        #expect(csv.status == 0 && csv.standardOutput.contains("\n2x2,simple,"), "\(csv.standardOutput)")
    }

    // MARK: 16–19: output files

    static let feolsJSON = ["feols"] + jtrain + ["--format", "json"]

    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    @Test func symbolicLinkIsFollowedNotReplaced() throws {
        let target = try temporaryOutputPath("target.json")
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        let link = (target as NSString).deletingLastPathComponent + "/link.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.json")
        let run = try runQuipu(Self.feolsJSON + ["--output", link])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(Self.fileType(link) == S_IFLNK, "the link must stay a link")
        let written = try String(contentsOfFile: target, encoding: .utf8)
        #expect(written.hasPrefix("{") && written.contains("\"nobs\""))
    }

    @Test func fifoIsWrittenThrough() throws {
        let fifo = try temporaryOutputPath("results.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // The test holds both ends open, so nothing blocks: quipu's open finds a reader, and the
        // reads below find a writer gone once quipu and the test have closed theirs. Were the FIFO
        // replaced by a file, these ends would see no data and the test would fail, not hang.
        let readEnd = open(fifo, O_RDONLY | O_NONBLOCK)
        let writeEnd = open(fifo, O_WRONLY)
        #expect(readEnd >= 0 && writeEnd >= 0)
        defer { close(readEnd) }
        let run = try runQuipu(Self.feolsJSON + ["--output", fifo])
        close(writeEnd)
        #expect(run.status == 0, "\(run.standardError)")
        var bytes = [UInt8](), chunk = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(readEnd, &chunk, chunk.count), count > 0 { bytes += chunk[0..<count] }
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"nobs\""))
        #expect(Self.fileType(fifo) == S_IFIFO, "the FIFO must not be replaced by a file")
    }

    /// A copy of /dev/null's device node (as root) stays a device: the old rename replaced it.
    @Test func deviceNodeStaysADevice() throws {
        guard getuid() == 0 else { return }
        let device = try temporaryOutputPath("null")
        guard mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else { return }  // no CAP_MKNOD: nothing to test
        let run = try runQuipu(Self.feolsJSON + ["--output", device])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(Self.fileType(device) == S_IFCHR)
    }

    @Test func descriptorPathsWriteToTheDescriptor() throws {
        let link = try temporaryOutputPath("stdout-link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/stdout")
        for path in ["/dev/fd/1", "/proc/self/fd/1", link] {
            let run = try runQuipu(Self.feolsJSON + ["--output", path])
            #expect(run.status == 0 && run.json?["nobs"] as? Int == 162, "\(path): \(run.standardError)")
        }
        #expect(Self.fileType(link) == S_IFLNK)
    }

    @Test func plotOrTruthAtTheOutputPathIsRefused() throws {
        let path = try temporaryFile(Self.panel(firms: 30, treated: 10))
        let svg = try temporaryOutputPath("chart.svg")
        let sameSpelledOtherwise = (svg as NSString).deletingLastPathComponent + "/./chart.svg"
        let trends = try runQuipu(["trends", "--data", path, "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y",
                                   "--plot", svg, "--output", sameSpelledOtherwise])
        Self.expectRefusal(trends, ["--plot and --output name the same file"], noFileAt: svg)
        let did = try runQuipu(["did", "--data", path, "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y",
                                "--event-study", "--plot", sameSpelledOtherwise, "--output", svg])
        Self.expectRefusal(did, ["--plot and --output name the same file"], noFileAt: svg)
        let csv = try temporaryOutputPath("peru.csv")
        let simulate = try runQuipu(["simulate", "peru", "--firms", "200", "--output", csv, "--truth", csv])
        Self.expectRefusal(simulate, ["--output and --truth name the same file"], noFileAt: csv)
    }

    @Test func fullStandardOutputIsAnError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let feols = try Self.run(Self.feolsJSON, standardOutput: "/dev/full")
        Self.expectRefusal(feols, ["standard output: could not write the output: No space left on device"])
        let describe = try Self.run(["describe", "--data", "Datasets/jtrain/jtrain.csv", "--unit", "fcode", "--time", "year"], standardOutput: "/dev/full")
        Self.expectRefusal(describe, ["No space left on device"])
        let svg = try temporaryOutputPath("trends.svg")
        let panel = try temporaryFile(Self.panel(firms: 30, treated: 10))
        let trends = try Self.run(["trends", "--data", panel, "--unit", "firm", "--time", "year", "--cohort", "cohort",
                                   "--outcome", "y", "--plot", svg], standardOutput: "/dev/full")
        Self.expectRefusal(trends, ["No space left on device"], noFileAt: svg)
        let truth = try temporaryOutputPath("truth.csv")
        let simulate = try Self.run(["simulate", "peru", "--firms", "200", "--truth", truth], standardOutput: "/dev/full")
        Self.expectRefusal(simulate, ["No space left on device"], noFileAt: truth)
    }

    @Test func simulateChecksEveryDestinationFirst() throws {
        let truth = try temporaryOutputPath("truth.csv")
        let run = try runQuipu(["simulate", "peru", "--firms", "200", "--truth", truth, "--output", "/nonexistent-quipu-dir/peru.csv"])
        Self.expectRefusal(run, ["/nonexistent-quipu-dir/peru.csv", "does not exist"], noFileAt: truth)
        let directory = try runQuipu(["simulate", "peru", "--firms", "200", "--truth", truth, "--output", (truth as NSString).deletingLastPathComponent])
        Self.expectRefusal(directory, ["is a directory"], noFileAt: truth)
    }
}
