import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One result made ready for its destination without being visible there yet: a regular file's
/// text sits in a temporary file beside it until `commit` renames it into place; for a device,
/// FIFO or descriptor the text waits in memory until `commit` writes it through.
struct StagedOutput {
    let destination: OutputDestination
    /// The temporary file beside a regular file, or nil.
    private let temporary: String?
    /// The text still to be written through, or nil.
    private let pending: String?

    /// Stages `text` for `destination`; a full disk or a failed write here leaves nothing behind.
    init(_ text: String, to destination: OutputDestination) throws {
        self.destination = destination
        guard destination.kind == .regularFile else {
            temporary = nil
            pending = text
            return
        }
        pending = nil
        temporary = try Self.writeTemporary(text, beside: destination)
    }

    /// Puts the result in place: renames the temporary file over the target (atomic on one file
    /// system), or writes the text through.
    func commit() throws {
        if let temporary {
            // rename(2) replaces an existing target atomically (Foundation's replaceItemAt fails
            // on Linux when the target exists).
            guard rename(temporary, destination.target) == 0 else {
                let reason = OutputDestination.reason(errno)
                unlink(temporary)
                throw CommandError("\(destination.path): could not write the output: \(reason)")
            }
            return
        }
        guard let pending else { return }
        switch destination.kind {
        case .descriptor(let descriptor):
            try Self.writeAll(pending, to: descriptor, name: destination.path)
        case .special:
            let descriptor = open(destination.target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
            guard descriptor >= 0 else {
                throw CommandError("\(destination.path): could not open it for writing: \(OutputDestination.reason(errno))")
            }
            defer { close(descriptor) }
            try Self.writeAll(pending, to: descriptor, name: destination.path)
        case .regularFile:
            break
        }
    }

    /// Removes what staging left on disk, when another output failed.
    func discard() {
        if let temporary { unlink(temporary) }
    }

    /// Writes `text` to a new temporary file in the target's directory, with the permissions of
    /// the file it will replace (or the usual ones for a new file); returns its path.
    private static func writeTemporary(_ text: String, beside destination: OutputDestination) throws -> String {
        let target = URL(fileURLWithPath: destination.target)
        let directory = target.deletingLastPathComponent()
        var existing = stat()
        let replacesFile = stat(destination.target, &existing) == 0
        let mode: mode_t = replacesFile ? existing.st_mode & 0o7777 : 0o666
        var descriptor: Int32 = -1
        var path = ""
        for _ in 0..<16 {
            let name = ".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            path = directory.appendingPathComponent(name).path
            descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw CommandError("\(destination.path): could not write the output: \(OutputDestination.reason(errno))")
        }
        // open() applies the umask to a new file's mode; a replaced file keeps its own.
        if replacesFile { fchmod(descriptor, mode) }
        do {
            try writeAll(text, to: descriptor, name: destination.path)
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        // Some file systems (NFS, quotas) report a failed write only when the file is closed.
        guard close(descriptor) == 0 else {
            let reason = OutputDestination.reason(errno)
            unlink(path)
            throw CommandError("\(destination.path): could not write the output: \(reason)")
        }
        return path
    }

    /// Writes all of `text` to `descriptor`, retrying short and interrupted writes, and throws
    /// with the system's reason otherwise (a full disk, a closed pipe, a read-only device).
    static func writeAll(_ text: String, to descriptor: Int32, name: String) throws {
        var text = text
        var failure: Int32 = 0
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
        if failure != 0 {
            throw CommandError("\(name): could not write the output: \(OutputDestination.reason(failure))")
        }
    }
}
