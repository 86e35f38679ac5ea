import Foundation
import Testing
import QuipuTestSupport

/// Issue 19, points 1 and 2: Quipu never destroys a file it did not write. `report --out` replaces
/// only an earlier report that holds nothing else and none of the run's inputs; `--output`,
/// `--plot` and `convert`'s output never replace the data they read, whatever path or link names it.
@Suite("never lose a file", .tags(.slow))
struct DataLossTests {
    /// A directory with the given files (relative path → contents).
    static func directory(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-dataloss-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.path
    }

    static func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    static func report(spec: String, out: String) throws -> Invocation {
        try runQuipu(["report", "--spec", spec, "--out", out, "--quiet"])
    }

    // MARK: 1. report --out

    @Test("a folder with someone else's manifest.json is refused and left as it was")
    func foreignManifestIsRefused() throws {
        let webApp = try Self.directory(["manifest.json": "{\"name\": \"my app\", \"start_url\": \"/\"}", "index.html": "<p>mine</p>",
                                         "data/panel.csv": "a,b\n1,2\n"])
        let spec = try temporaryFile(ReportCommandTests.smallSpec(), name: "spec.yaml")
        let run = try Self.report(spec: spec, out: webApp)
        HardeningCommandTests.expectRefusal(run, ["is not a Quipu report directory", "manifest.json is not a Quipu report's manifest"])
        #expect(Self.contents(webApp + "/index.html") == "<p>mine</p>")
        #expect(Self.contents(webApp + "/data/panel.csv") == "a,b\n1,2\n")
        #expect(Self.contents(webApp + "/manifest.json")?.contains("my app") == true)
    }

    @Test("a folder without a manifest, or a file, at --out is refused")
    func unrelatedFolderOrFileIsRefused() throws {
        let folder = try Self.directory(["thesis.tex": "chapter one"])
        let spec = try temporaryFile(ReportCommandTests.smallSpec(), name: "spec.yaml")
        HardeningCommandTests.expectRefusal(try Self.report(spec: spec, out: folder), ["it has no Quipu manifest.json"])
        #expect(Self.contents(folder + "/thesis.tex") == "chapter one")
        let file = try temporaryFile("keep me", name: "notes.txt")
        HardeningCommandTests.expectRefusal(try Self.report(spec: spec, out: file), ["exists and is a file"])
        #expect(Self.contents(file) == "keep me")
    }

    @Test("an earlier report is replaced; one that holds the spec, the data or a user's file is not")
    func earlierReportReplacedOnlyWhenItHoldsNothingElse() throws {
        let out = try ReportCommandTests.outputDirectory()
        let spec = try temporaryFile(ReportCommandTests.smallSpec(), name: "spec.yaml")
        let first = try Self.report(spec: spec, out: out)
        #expect(first.status == 0, "\(first.standardError)")
        let manifest = try #require(Self.contents(out + "/manifest.json"))
        // Rerunning into the same folder replaces the earlier report whole.
        let second = try Self.report(spec: spec, out: out)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(Self.contents(out + "/manifest.json") != manifest, "the manifest records a new run")

        // A user's notes in the report folder: refused, the notes and the report kept.
        try Data("my notes".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
        let withNotes = try Self.report(spec: spec, out: out)
        HardeningCommandTests.expectRefusal(withNotes, ["also holds files Quipu did not write (notes.txt)"])
        #expect(Self.contents(out + "/notes.txt") == "my notes")
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
        try FileManager.default.removeItem(atPath: out + "/notes.txt")

        // The spec kept inside the old report folder (rerunning a report from within it).
        let inner = out + "/spec.yaml"
        try FileManager.default.copyItem(atPath: spec, toPath: inner)
        HardeningCommandTests.expectRefusal(try Self.report(spec: inner, out: out), ["holds \(inner), which this report reads"])
        #expect(FileManager.default.fileExists(atPath: inner))
        try FileManager.default.removeItem(atPath: inner)

        // The data inside it, named by a file the old manifest lists (so not caught as foreign).
        let data = out + "/results.json"
        try FileManager.default.removeItem(atPath: data)
        try FileManager.default.copyItem(atPath: ReportCommandTests.peruData, toPath: data)
        let dataSpec = try temporaryFile(ReportCommandTests.smallSpec().replacingOccurrences(of: ReportCommandTests.peruData, with: data), name: "spec.yaml")
        HardeningCommandTests.expectRefusal(try Self.report(spec: dataSpec, out: out), ["which this report reads"])
        #expect(FileManager.default.fileExists(atPath: data))
    }

    @Test("a symbolic-link --out is followed: the report goes where it points and the link stays")
    func symbolicLinkOutIsFollowed() throws {
        let target = try Self.directory([:])
        let link = try temporaryOutputPath("report-link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let spec = try temporaryFile(ReportCommandTests.smallSpec(), name: "spec.yaml")
        let run = try Self.report(spec: spec, out: link)
        #expect(run.status == 0, "\(run.standardError)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target, "the link is still a link to its target")
        #expect(FileManager.default.fileExists(atPath: target + "/report.html"))
    }

    // MARK: 2. --output, --plot and convert never replace --data

    @Test("every command refuses an output that is its data file, by path, symbolic link or hard link")
    func outputsNeverReplaceTheData() throws {
        let panel = HardeningCommandTests.panel(firms: 30, treated: 10)
        let data = try temporaryFile(panel)
        let folder = (data as NSString).deletingLastPathComponent
        let symbolic = folder + "/link.svg", hard = folder + "/hard.csv", arrow = folder + "/data.arrow"
        try FileManager.default.createSymbolicLink(atPath: symbolic, withDestinationPath: data)
        try FileManager.default.linkItem(atPath: data, toPath: hard)
        try FileManager.default.createSymbolicLink(atPath: arrow, withDestinationPath: data)
        let panelOptions = ["--unit", "firm", "--time", "year", "--cohort", "cohort"]
        let runs: [(String, [String])] = [
            ("feols, same path", ["feols", "--data", data, "--formula", "y ~ d | firm + year", "--output", folder + "/./data.csv"]),
            ("feols, hard link", ["feols", "--data", data, "--formula", "y ~ d | firm + year", "--output", hard]),
            ("fepois, symbolic link", ["fepois", "--data", symbolic, "--formula", "y ~ d | firm", "--output", data]),
            ("did --plot", ["did", "--data", data, "--outcome", "y", "--event-study", "--plot", symbolic] + panelOptions),
            ("did --output", ["did", "--data", hard, "--outcome", "y", "--output", data] + panelOptions),
            ("trends --plot", ["trends", "--data", data, "--outcome", "y", "--plot", symbolic] + panelOptions),
            ("describe", ["describe", "--data", data, "--output", hard] + panelOptions),
        ]
        for (name, arguments) in runs {
            let run = try runQuipu(arguments)
            #expect(run.status == 64, "\(name): \(run.status) \(run.standardError)")
            #expect(run.standardError.contains("is the --data file"), "\(name): \(run.standardError)")
            #expect(Self.contents(data) == panel, "\(name) changed the data")
        }
        let convert = try runQuipu(["convert", data, arrow])
        HardeningCommandTests.expectRefusal(convert, ["is the input file"])
        #expect(Self.contents(data) == panel, "convert changed the data")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: arrow)) == data)

        // quipu table: an input JSON named again as --output.
        let json = try temporaryOutputPath("model.json")
        let fit = try runQuipu(["feols", "--data", data, "--formula", "y ~ d | firm + year", "--format", "json", "--output", json])
        #expect(fit.status == 0, "\(fit.standardError)")
        let before = Self.contents(json)
        let table = try runQuipu(["table", json, "--output", json])
        #expect(table.status == 64 && table.standardError.contains("is the input file"), "\(table.standardError)")
        #expect(Self.contents(json) == before)
    }
}
