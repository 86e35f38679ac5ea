import Foundation
import Testing

/// `quipu feols --bootstrap`: bad requests fail clearly; results do not depend on --threads.
@Suite struct BootstrapCommandTests {
    let base = ["feols", "--data", "Datasets/jtrain/jtrain.csv", "--formula", "lscrap ~ grant + grant_1 | fcode + year",
                "--vcov", "cluster:fcode", "--bootstrap", "wild"]

    @Test(arguments: [
        (["--reps", "0"], "--reps"),
        (["--reps", "-5"], "--reps"),
        (["--param", "grnat"], "'grnat' is not a coefficient"),
        (["--restriction", "grant + tenure = 0"], "'tenure' is not a coefficient"),
    ] as [([String], String)])
    func badRequests(extra: [String], fragment: String) throws {
        let run = try runQuipu(base + extra)
        #expect(run.status != 0)
        #expect(run.standardError.contains(fragment), "\(run.standardError)")
    }

    @Test func restrictionOnACollinearTerm() throws {
        var lines = ["g,x,z,y"]
        for i in 0..<40 { lines.append("\(i % 8),\(Double(i % 7)),\(Double(i % 7) * 2),\(Double(i) * 0.1 + Double(i % 3))") }
        let path = try temporaryFile(lines.joined(separator: "\n"))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x + z", "--vcov", "cluster:g", "--bootstrap", "wild", "--param", "z"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("collinear"))
    }

    @Test func oneClusterOnly() throws {
        let path = try temporaryFile("g,x,y\n1,1,2\n1,2,3.5\n1,3,5\n1,4,5.5\n")
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x", "--boot-cluster", "g", "--bootstrap", "wild"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("'g'") && run.standardError.contains("at least 2"))
    }

    @Test(arguments: ["wild", "pairs"])
    func identicalForAnyThreadCount(method: String) throws {
        let outputs = try ["1", "2", "8"].map { threads in
            try runQuipu(["feols", "--data", "Datasets/jtrain/jtrain.csv", "--formula", "lscrap ~ grant + grant_1 | fcode + year",
                          "--vcov", "cluster:fcode", "--bootstrap", method, "--reps", method == "wild" ? "4999" : "199",
                          "--seed", "42", "--threads", threads, "--format", "json"]).standardOutput
        }
        #expect(!outputs[0].isEmpty && outputs[1] == outputs[0] && outputs[2] == outputs[0])
    }
}
