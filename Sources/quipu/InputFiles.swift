import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files this run reads, so that no result is ever written over one of them.
///
/// Goal: never destroy what Quipu did not write. A `--output`, `--plot`, `--truth` or converted
/// file that is the `--data` file (the same path, a symbolic or hard link to it, or the same file
/// through another directory) would replace the evaluator's data with results. Files are compared
/// by identity (device and inode), which sees through every kind of link. Commands check their
/// output options against their inputs before any work (`refuse(outputs:inputs:)`), and every
/// write (`AtomicFile`, `convert`) checks its destination against the files read so far
/// (`register`), so a command that forgets the first check still cannot overwrite its input.
enum InputFiles {
    /// A file's identity on this machine.
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64

        /// The identity of the file at `path` (links followed), or nil when there is none.
        init?(path: String) {
            var status = stat()
            guard path != "-", stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var read = [Identity: String]()

    /// Notes that this run reads `path` (standard input and devices are ignored).
    static func register(_ path: String) {
        guard let identity = Identity(path: path) else { return }
        lock.lock()
        defer { lock.unlock() }
        if read[identity] == nil { read[identity] = path }
    }

    /// Throws when writing to `path` (given as `option`) would replace a file this run has read.
    static func checkWrite(to path: String, option: String) throws {
        guard let identity = Identity(path: path) else { return }
        lock.lock()
        let input = read[identity]
        lock.unlock()
        if let input { throw overwriteError(option: option, path: path, inputOption: nil, input: input) }
    }

    /// Refuses, before any work, output options that name one of the input files: `outputs`
    /// and `inputs` pair each option with its path (nil when not given).
    static func refuse(outputs: [(option: String, path: String?)], inputs: [(option: String, path: String?)]) throws {
        let known = inputs.compactMap { input in input.path.flatMap { path in Identity(path: path).map { (input.option, path, $0) } } }
        for case let (option, path?) in outputs {
            guard let identity = Identity(path: path) else { continue }
            if let (inputOption, input, _) = known.first(where: { $0.2 == identity }) {
                throw overwriteError(option: option, path: path, inputOption: inputOption, input: input)
            }
        }
    }

    private static func overwriteError(option: String, path: String, inputOption: String?, input: String) -> CommandError {
        let what = inputOption.map { "the \($0) file" } ?? "a file this run reads"
        let same = path == input ? "" : " ('\(input)', the same file through another path or a link)"
        return CommandError("\(option) '\(path)' is \(what)\(same); writing there would replace it with results: give another path")
    }
}

extension DataOptions {
    /// Refuses, before any work, output options that name the `--data` file (exit 64, as every
    /// option value that cannot be used).
    func refuseOverwrite(by outputs: [(option: String, path: String?)]) throws {
        do {
            try InputFiles.refuse(outputs: outputs, inputs: [("--data", data)])
        } catch {
            throw ValidationError(String(describing: error))
        }
    }
}
