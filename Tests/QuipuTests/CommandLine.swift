import Foundation
import QuipuTestSupport

/// The repository root, found from this file's location.
let repositoryRoot = Fixture.repositoryRoot

/// The outcome of one `quipu` invocation.
struct Invocation {
    let status: Int32
    let standardOutput: String
    let standardError: String
    /// The published schemas the run's JSON was checked against (CommandLine+Schemas.swift).
    var schemasChecked: [String] = []

    /// The standard output parsed as a JSON object.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(standardOutput.utf8))) as? [String: Any]
    }
}

enum QuipuBinaryError: Error { case notBuilt(String) }

/// Runs the debug build of `quipu` (built by `make test` before the tests) from the repository root,
/// and checks the JSON a successful run wrote against its published schema.
func runQuipu(_ arguments: [String], standardInput: String? = nil) throws -> Invocation {
    let binary = repositoryRoot.appendingPathComponent(".build/debug/quipu")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw QuipuBinaryError.notBuilt("\(binary.path) is missing: run `swift build` (make test does) before the tests")
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    let output = Pipe(), error = Pipe(), input = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input
    try process.run()
    if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
    try input.fileHandleForWriting.close()
    // Read before waiting so a large output cannot fill the pipe and block the child.
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var run = Invocation(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
    run.schemasChecked = PublishedSchemas.validate(arguments, status: run.status, standardOutput: run.standardOutput,
                                                   standardError: run.standardError)
    return run
}

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "data.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// A fresh path in a temporary directory that does not exist yet.
func temporaryOutputPath(_ name: String = "out.json") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
}

/// The names of a parameterised test's cases, read from a fixture when the tests are listed.
/// Swift Testing evaluates `arguments:` without `try`, and a fixture that cannot be read must not
/// become zero cases and a silent pass: it becomes one case named after the failure, which no
/// fixture entry matches, so that case fails and says why.
func fixtureCaseNames(_ load: () throws -> [String]) -> [String] {
    do {
        let names = try load()
        return names.isEmpty ? ["<the fixture lists no cases>"] : names
    } catch {
        return ["<the fixture cannot be read: \(error)>"]
    }
}
