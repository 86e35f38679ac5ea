import Foundation
import Testing

/// Every kind of bad input gets one clear line on standard error naming what is at fault, a
/// non-zero exit code, and no output file.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let csv: String?            // nil: use the path as given
        let path: String?
        let formula: String
        let extra: [String]
        let expected: [String]      // fragments the message must contain
        var testDescription: String { label }
    }

    static let panel = "firm,year,x,y,w,size\n1,1,0.5,1.0,1,3\n1,2,1.5,2.5,2,3\n2,1,0.7,1.2,1,5\n2,2,2.0,3.9,1,5\n3,1,0.1,0.3,1,2\n3,2,1.1,2.0,1,2\n"

    static let cases: [Case] = [
        Case(label: "missing file", csv: nil, path: "/nonexistent/data.csv", formula: "y ~ x", extra: [], expected: ["/nonexistent/data.csv"]),
        Case(label: "empty file", csv: "", path: nil, formula: "y ~ x", extra: [], expected: ["empty"]),
        Case(label: "ragged row", csv: "y,x\n1,2\n3,4,5\n", path: nil, formula: "y ~ x", extra: [], expected: ["line 3"]),
        Case(label: "unterminated quote", csv: "y,x\n1,\"2\n3,4\n", path: nil, formula: "y ~ x", extra: [], expected: ["quote", "line 2"]),
        Case(label: "non-numeric value", csv: "y,x\n1,2\n3,abc\n", path: nil, formula: "y ~ x", extra: [], expected: ["'x'", "line 3", "abc"]),
        Case(label: "unknown column", csv: panel, path: nil, formula: "y ~ xx", extra: [], expected: ["'xx'", "did you mean", "'x'"]),
        Case(label: "formula syntax", csv: panel, path: nil, formula: "y ~ x + + w", extra: [], expected: ["position", "^"]),
        Case(label: "missing cluster variable", csv: panel, path: nil, formula: "y ~ x", extra: ["--vcov", "cluster:region"], expected: ["'region'"]),
        Case(label: "negative weight", csv: panel.replacingOccurrences(of: "1,1,0.5,1.0,1,3", with: "1,1,0.5,1.0,-1,3"), path: nil,
             formula: "y ~ x", extra: ["--weights", "w"], expected: ["'w'", "negative"]),
        Case(label: "every row dropped", csv: "y,x\n1,NA\n2,NA\n", path: nil, formula: "y ~ x", extra: [], expected: ["every row was dropped"]),
        Case(label: "outcome without variation", csv: "y,x\n1,2\n1,3\n1,5\n", path: nil, formula: "y ~ x", extra: [], expected: ["'y'", "no variation"]),
        Case(label: "bad vcov", csv: panel, path: nil, formula: "y ~ x", extra: ["--vcov", "sandwich"], expected: ["sandwich"]),
        Case(label: "one cluster", csv: "g,x,y\n1,1,2\n1,2,3\n1,3,5\n", path: nil, formula: "y ~ x", extra: ["--vcov", "cluster:g"], expected: ["'g'", "at least 2"]),
    ]

    @Test(arguments: cases)
    func failsClearly(_ item: Case) throws {
        let path = try item.csv.map { try temporaryFile($0) } ?? (item.path ?? "")
        let output = try temporaryOutputPath()
        let run = try runQuipu(["feols", "--data", path, "--formula", item.formula, "--output", output, "--format", "json"] + item.extra)
        #expect(run.status != 0)
        #expect(!FileManager.default.fileExists(atPath: output), "no output file may be left behind")
        let message = run.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        for fragment in item.expected {
            #expect(message.contains(fragment), "\(item.label): '\(fragment)' not in: \(message)")
        }
        #expect(!message.contains("Fatal error") && !message.contains("Stack dump"))
    }

    @Test func fixedEffectsThatDoNotConverge() throws {
        // Three crossed fixed effects on an unbalanced panel cannot converge in two sweeps.
        var lines = ["firm,year,region,x,y"]
        var state: UInt64 = 5
        for firm in 1...40 {
            for year in 1...6 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                if state >> 60 < 3 { continue }
                let x = Double(state >> 20 & 0xffff) / 65536
                lines.append("\(firm),\(year),\((firm * year) % 5),\(x),\(x * 2 + Double(firm % 3) + Double(state >> 40 & 0xff) / 256)")
            }
        }
        let path = try temporaryFile(lines.joined(separator: "\n"))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x | firm + year + region", "--fixef-iter", "2", "--fixef-tol", "1e-14"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("did not converge"))
    }
}
