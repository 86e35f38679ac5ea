import Foundation
import Primitives

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fuzz executables' `main` when they are built without libFuzzer (`swift build`): runs
/// the given corpus files and directories, then seeded random mutations of them, up to `-runs`
/// executions. It takes libFuzzer's spelling of the options it shares (`-runs=N`, `-seed=S`,
/// `-max_len=N`, `-artifact_prefix=DIR/`) and ignores libFuzzer's others, so the same command
/// line works with either build. Without coverage feedback it finds less than libFuzzer; it is
/// the fallback for toolchains without `-sanitize=fuzzer` and the way to replay a crash file in
/// a debug build.
///
/// A finding or a trap stops the run with exit status 1 (or the signal); the input at fault is
/// written to `<artifact_prefix>crash-<hash>` (a trap's input by a signal handler).
public enum StandaloneDriver {
    public static func main(target: FuzzTarget, arguments: [String]) -> Int32 {
        var runs = -1
        var seed: UInt64 = 0x5EED
        var maximumLength = target.maximumLength
        var artifactPrefix = ""
        var paths: [String] = []
        for argument in arguments {
            if argument == "-h" || argument == "-help=1" || argument == "--help" {
                print("""
                    usage: Fuzz\(target == .csv ? "CSV" : "Formula") [-runs=N] [-seed=S] [-max_len=N] [-artifact_prefix=DIR/] FILE_OR_DIR...
                    Built without libFuzzer: runs every input, then seeded mutations up to N executions.
                    """)
                return 0
            }
            if let value = option(argument, "-runs=") { runs = Int(value) ?? runs }
            else if let value = option(argument, "-seed=") { seed = UInt64(value) ?? seed }
            else if let value = option(argument, "-max_len=") { maximumLength = max(1, Int(value) ?? maximumLength) }
            else if let value = option(argument, "-artifact_prefix=") { artifactPrefix = value }
            else if argument.hasPrefix("-") { continue }
            else { paths.append(argument) }
        }
        let corpus = FuzzCorpus.load(paths).map { Array($0.bytes.prefix(maximumLength)) }
        if corpus.isEmpty {
            FileHandle.standardError.write(Data("no inputs found in \(paths)\n".utf8))
            return 2
        }
        CrashCapture.install(artifactPrefix: artifactPrefix, capacity: maximumLength)
        let started = ContinuousClock.now
        let total = runs < 0 ? corpus.count : runs
        let result = FuzzSession.run(
            target: target, corpus: corpus, executions: total, seed: seed, maximumLength: maximumLength,
            beforeEach: CrashCapture.remember)
        if let finding = result.finding, let input = result.input {
            let path = CrashCapture.save(input)
            let hex = input.withUnsafeBytes { $0.hexDump() }
            FileHandle.standardError.write(Data("""
                == \(target.rawValue): finding after \(result.executions) executions: \(finding.message)
                input (\(input.count) bytes, hex): \(hex)
                saved to \(path ?? "(not saved)")

                """.utf8))
            return 1
        }
        let executions = result.executions
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("\(target.rawValue): \(executions) executions (\(min(corpus.count, executions)) corpus inputs, "
            + "\(max(0, executions - corpus.count)) mutations) in \(String(format: "%.1f", seconds)) s, no finding")
        return 0
    }

    private static func option(_ argument: String, _ prefix: String) -> String? {
        argument.hasPrefix(prefix) ? String(argument.dropFirst(prefix.count)) : nil
    }
}

/// Runs a corpus and then seeded mutations of it through a target, stopping at the first finding.
public enum FuzzSession {
    /// How a run ended: the executions made, and the finding with its input if there was one.
    public struct Result: Sendable {
        public let executions: Int
        public let finding: FuzzFinding?
        public let input: [UInt8]?
    }

    /// Runs every corpus input, then mutations (each of a corpus input or of an earlier mutant)
    /// until `executions` inputs have run. The same arguments always run the same inputs.
    public static func run(
        target: FuzzTarget, corpus: [[UInt8]], executions total: Int, seed: UInt64, maximumLength: Int,
        beforeEach: ([UInt8]) -> Void = { _ in }
    ) -> Result {
        guard !corpus.isEmpty else { return Result(executions: 0, finding: nil, input: nil) }
        var mutator = FuzzMutator(seed: seed, dictionary: target.dictionary, maximumLength: maximumLength)
        var picker = SplitMix64(state: seed ^ 0xA5A5_A5A5_A5A5_A5A5)
        var pool = corpus
        var executions = 0
        while executions < total {
            let input: [UInt8]
            if executions < corpus.count {
                input = corpus[executions]
            } else {
                let base = pool[Int(picker.next() % UInt64(pool.count))]
                input = mutator.mutate(base, others: corpus)
                // Keep some mutants as bases for further mutation, so edits accumulate.
                if executions % 8 == 0 {
                    if pool.count < 4 * corpus.count + 256 {
                        pool.append(input)
                    } else {
                        pool[corpus.count + Int(picker.next() % UInt64(pool.count - corpus.count))] = input
                    }
                }
            }
            beforeEach(input)
            executions += 1
            if let finding = target.run(input) {
                return Result(executions: executions, finding: finding, input: input)
            }
        }
        return Result(executions: executions, finding: nil, input: nil)
    }
}

/// Keeps a copy of the input being run where a signal handler can write it out, so a trap in
/// the standalone driver leaves its input behind as libFuzzer's crash files do.
enum CrashCapture {
    nonisolated(unsafe) private static var buffer: UnsafeMutablePointer<UInt8>? = nil
    nonisolated(unsafe) private static var capacity = 0
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var crashPath: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) private static var crashNote: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) private static var prefix = ""

    static func install(artifactPrefix: String, capacity: Int) {
        prefix = artifactPrefix
        self.capacity = capacity
        buffer = .allocate(capacity: max(1, capacity))
        crashPath = strdup("\(artifactPrefix)crash-standalone")
        crashNote = strdup("\n== the input being run was saved as \(artifactPrefix)crash-standalone\n")
        for number in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { CrashCapture.handle($0) }
            #else
            action.__sigaction_u.__sa_handler = { CrashCapture.handle($0) }
            #endif
            _ = sigaction(number, &action, nil)
        }
    }

    static func remember(_ input: [UInt8]) {
        guard let buffer else { return }
        length = min(input.count, capacity)
        input.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base, count: length) }
        }
    }

    /// Writes `input` to `<prefix>crash-<hash>`; returns the path.
    static func save(_ input: [UInt8]) -> String? {
        let hash = input.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        let path = "\(prefix)crash-\(String(hash, radix: 16))"
        return FileManager.default.createFile(atPath: path, contents: Data(input)) ? path : nil
    }

    /// Writes the remembered input with async-signal-safe calls, then lets the signal proceed.
    static func handle(_ number: Int32) {
        if let crashPath, let buffer {
            let descriptor = open(crashPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if descriptor >= 0 {
                _ = write(descriptor, buffer, length)
                close(descriptor)
            }
            if let crashNote { _ = write(2, crashNote, strlen(crashNote)) }
        }
        _ = signal(number, SIG_DFL)
        _ = raise(number)
    }
}

/// The body of `LLVMFuzzerTestOneInput` in the libFuzzer builds: runs the input and turns a
/// finding into a crash, which libFuzzer reports and saves like any other.
public enum LibFuzzerEntry {
    public static func run(_ target: FuzzTarget, _ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
        if let finding = target.run(bytes) {
            FileHandle.standardError.write(Data("== \(target.rawValue) finding: \(finding.message)\n".utf8))
            fatalError("fuzz finding in the \(target.rawValue) target: \(finding.message)")  // invariant: a finding must crash so that libFuzzer records the input
        }
        return 0
    }
}

/// Starts libFuzzer from the executable's entry point.
///
/// SwiftPM links every executable target with `main` aliased to `<module>_main` (so tests can
/// link executables), which leaves libFuzzer's own `main` out; the fuzz executables therefore
/// define `<module>_main` in their libFuzzer builds and hand over to `LLVMFuzzerRunDriver`,
/// libFuzzer's documented entry for programs with their own `main`. Only the libFuzzer builds
/// call this, so only they need the symbol (`-DQUIPU_LIBFUZZER` compiles the reference in).
public enum LibFuzzerDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    #if QUIPU_LIBFUZZER
    public static func run(
        argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ testOneInput: TestOneInput
    ) -> Int32 {
        var count = argc
        var vector = argv
        return quipuLLVMFuzzerRunDriver(&count, &vector, testOneInput)
    }
    #endif
}

#if QUIPU_LIBFUZZER
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *, size_t))`.
/// Declared without a C module: three pointer arguments and an `int` result are passed in the
/// same registers by the Swift and C calling conventions on the 64-bit platforms Swift supports.
/// The direct reference also makes the linker pull libFuzzer's driver out of its archive.
@_silgen_name("LLVMFuzzerRunDriver")
private func quipuLLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ testOneInput: LibFuzzerDriver.TestOneInput
) -> Int32
#endif
