import Foundation
import Testing

/// Issue 20, point 5: option values are parsed into typed values when the command line is read,
/// so a malformed one is a usage error (exit 64) that names the option and the value, says what
/// is wrong and shows the option's help line — before any data are read.
@Suite struct OptionValueTests {
    /// A two-period panel every command below can read.
    static func panel() throws -> String {
        try temporaryFile("unit,year,cohort,treat,y,x\n1,2000,2001,0,1,2\n1,2001,2001,1,2,1\n2,2000,0,0,3,4\n2,2001,0,0,4,3\n3,2000,0,0,2,2\n3,2001,0,0,5,1\n")
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let option: String, value: String, valueName: String, reason: String
        /// The command without the malformed option; "DATA" stands for the panel's path.
        let command: [String]
        var testDescription: String { "\(command[0]) \(option) \(value)" }
    }

    static let feols = ["feols", "--data", "DATA", "--formula", "y ~ x"]
    static let did = ["did", "--data", "DATA", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--outcome", "y"]

    static let cases: [Case] = [
        Case(option: "--vcov", value: "sandwich", valueName: "vcov", reason: "unknown vcov 'sandwich'", command: feols),
        Case(option: "--vcov", value: "cluster:a+b+c", valueName: "vcov", reason: "give one or two cluster variables", command: ["fepois", "--data", "DATA", "--formula", "y ~ x"]),
        Case(option: "--vcov", value: "foo", valueName: "vcov", reason: "unknown vcov 'foo'", command: did),
        Case(option: "--max-memory", value: "12Q", valueName: "size", reason: "must be a size such as 16G", command: feols),
        Case(option: "--max-memory", value: "lots", valueName: "size", reason: "must be a size such as 16G", command: ["convert", "DATA", "out.arrow"]),
        Case(option: "--format-in", value: "xls", valueName: "format", reason: "one of csv, csv.gz, dta, sav, arrow", command: feols),
        Case(option: "--delimiter", value: ";;", valueName: "delimiter", reason: "a single ASCII character", command: ["describe", "--data", "DATA", "--unit", "unit", "--time", "year"]),
        Case(option: "--separation", value: "strict", valueName: "separation", reason: "'relu' and 'none'", command: ["fepois", "--data", "DATA", "--formula", "y ~ x"]),
        Case(option: "--never-treated", value: "never", valueName: "never-treated", reason: "takes an integer", command: did),
        Case(option: "--window", value: "3:-3", valueName: "window", reason: "must be LOW:HIGH with LOW < HIGH", command: did + ["--event-study"]),
        Case(option: "--aggregate", value: "simple,weekly", valueName: "aggregate", reason: "got 'weekly'", command: did),
        Case(option: "--fe", value: "year^", valueName: "fe", reason: "expected a variable after '^'", command: did + ["--estimator", "twfe"]),
        Case(option: "--stars", value: "0.05,lots", valueName: "stars", reason: "'lots' is not a threshold between 0 and 1", command: ["table", "DATA"]),
        Case(option: "--combine", value: "e0 = 1", valueName: "combine", reason: "give an expression, not an equation", command: did + ["--estimator", "cs"]),
        Case(option: "--combine", value: "(e0 + e1", valueName: "combine", reason: "unbalanced parentheses", command: did + ["--estimator", "cs"]),
        Case(option: "--combine", value: "(e0 + e1) * 2", valueName: "combine", reason: "after ')' only '/ number' may follow", command: did + ["--estimator", "cs"]),
        Case(option: "--years", value: "2004-", valueName: "years", reason: "--years expects FIRST:LAST", command: ["simulate", "peru"]),
    ]

    @Test(arguments: cases)
    func malformedValueIsAUsageError(_ test: Case) throws {
        let data = try Self.panel()
        let output = try temporaryOutputPath("out.arrow")
        let command = test.command.map { $0 == "DATA" ? data : $0 == "out.arrow" ? output : $0 }
        let run = try runQuipu(command + [test.option, test.value])
        #expect(run.status == 64, "\(run.status): \(run.standardError)")
        #expect(run.standardError.contains("The value '\(test.value)' is invalid for '\(test.option) <\(test.valueName)>'"), "\(run.standardError)")
        #expect(run.standardError.contains(test.reason), "\(run.standardError)")
        // The option's help line follows, so the user sees what the option takes.
        #expect(run.standardError.contains("Help:  \(test.option) <\(test.valueName)>"), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("well-formed typed values reach the estimate")
    func wellFormedValuesAreAccepted() throws {
        let data = try Self.panel()
        let feols = try runQuipu(["feols", "--data", data, "--formula", "y ~ x", "--vcov", "HC1", "--delimiter", ",", "--max-memory", "none"])
        #expect(feols.status == 0, "\(feols.standardError)")
        #expect(feols.standardOutput.contains("Standard-errors: Heteroskedasticity-robust (HC1)"), "\(feols.standardOutput)")
    }
}
