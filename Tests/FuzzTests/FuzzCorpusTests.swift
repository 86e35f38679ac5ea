import Foundation
import FuzzSupport
import Testing

/// The bounded fuzz run of `make test`: every seed of Tests/Fuzz/corpus, then a few thousand
/// seeded mutations of them, through the same target bodies as the libFuzzer executables
/// (`make fuzz`), without the sanitizer. `QUIPU_FUZZ_MUTATIONS=N` changes the number of mutations
/// per target; `QUIPU_FUZZ_STRICT=1` adds the strict checks.
@Suite("Fuzz corpus and seeded mutations")
struct FuzzCorpusTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz").appendingPathComponent("corpus")

    static func corpus(_ target: FuzzTarget) -> [FuzzCorpus.Entry] {
        FuzzCorpus.load([corpusRoot.appendingPathComponent(target.rawValue).path])
    }

    static var mutationCount: Int {
        ProcessInfo.processInfo.environment["QUIPU_FUZZ_MUTATIONS"].flatMap(Int.init) ?? 2500
    }

    static func describe(_ input: [UInt8]) -> String {
        let hex = input.withUnsafeBytes { $0.hexDump() }
        return "\(input.count) bytes, hex \(hex), text \(String(decoding: input, as: UTF8.self).debugDescription)"
    }

    @Test("the seed corpus is in the repository and small", arguments: FuzzTarget.allCases)
    func corpusIsPresent(_ target: FuzzTarget) {
        let entries = Self.corpus(target)
        #expect(entries.count >= 10, "Tests/Fuzz/corpus/\(target.rawValue) should hold the seeds")
        for entry in entries {
            #expect(entry.bytes.count <= target.maximumLength, "\(entry.path) is longer than the target's -max_len")
        }
    }

    @Test("every seed runs without a finding", arguments: FuzzTarget.allCases)
    func seeds(_ target: FuzzTarget) {
        for entry in Self.corpus(target) {
            let finding = target.run(entry.bytes)
            #expect(finding == nil, "\(entry.path): \(finding?.message ?? "")")
        }
    }

    @Test("seeded mutations of the seeds run without a finding", arguments: FuzzTarget.allCases)
    func mutations(_ target: FuzzTarget) {
        let corpus = Self.corpus(target).map(\.bytes)
        let executions = corpus.count + Self.mutationCount
        let result = FuzzSession.run(
            target: target, corpus: corpus, executions: executions, seed: 20_261_130,
            maximumLength: target.maximumLength)
        #expect(result.executions == executions)
        if let finding = result.finding, let input = result.input {
            Issue.record("\(target.rawValue) execution \(result.executions): \(finding.message); input \(Self.describe(input))")
        }
    }

    @Test("the mutations are deterministic")
    func deterministic() {
        var a = FuzzMutator(seed: 7, dictionary: FuzzMutator.csvDictionary, maximumLength: 64)
        var b = FuzzMutator(seed: 7, dictionary: FuzzMutator.csvDictionary, maximumLength: 64)
        let seed = Array("a,b\n1,2\n".utf8)
        for _ in 0..<100 {
            let x = a.mutate(seed, others: [seed])
            #expect(x == b.mutate(seed, others: [seed]))
            #expect(x.count <= 64)
        }
    }
}
