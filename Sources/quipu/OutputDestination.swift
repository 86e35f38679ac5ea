import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one result goes, resolved and checked before anything is computed or written.
///
/// Only a regular file (or a path where none exists yet) is replaced atomically, by writing beside
/// it and renaming. Anything else is written through in place: renaming over `/dev/null` as root
/// would replace the device node with a regular file, and over a FIFO would cut off its reader. A
/// symbolic link is followed to its target, which is written, so that the link stays a link.
/// `/dev/stdout`, `/dev/stderr` and `/dev/fd/N` name descriptors this process already has open
/// (following them would lead to a pipe's pseudo-name or to the shell's redirection target).
struct OutputDestination {
    /// How the destination is written.
    enum Kind: Equatable {
        /// A regular file, existing or new: written beside it, then renamed over it.
        case regularFile
        /// A device, FIFO or socket: opened and written in place.
        case special
        /// A descriptor of this process (standard output, for instance): written directly.
        case descriptor(Int32)
    }

    /// The path as the user gave it, for messages.
    let path: String
    /// The path after following symbolic links (the path itself for descriptors).
    let target: String
    let kind: Kind

    /// Standard output, where results go without `--output`.
    static let standardOutput = OutputDestination(path: "standard output", target: "standard output", kind: .descriptor(STDOUT_FILENO))

    private init(path: String, target: String, kind: Kind) {
        self.path = path
        self.target = target
        self.kind = kind
    }

    /// Resolves `path` and checks that it can be written: its directory exists, it is not a
    /// directory, and a device or FIFO at it is writable.
    init(path: String) throws {
        guard !path.isEmpty else { throw CommandError("the output path is empty") }
        self.path = path
        var current = path
        // Linux's own limit on links followed in one lookup (MAXSYMLINKS).
        for _ in 0..<40 {
            if let descriptor = Self.descriptorNamed(by: current) {
                guard fcntl(descriptor, F_GETFD) != -1 else {
                    throw CommandError("\(path): descriptor \(descriptor) is not open in this process")
                }
                target = current
                kind = .descriptor(descriptor)
                return
            }
            var status = stat()
            guard lstat(current, &status) == 0 else {
                let code = errno
                guard code == ENOENT else { throw CommandError("\(path): cannot write there (\(Self.reason(code)))") }
                try Self.checkDirectory(of: current, for: path)
                target = current
                kind = .regularFile
                return
            }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                current = try Self.linkTarget(current, for: path)
            case S_IFDIR:
                throw CommandError("\(path): is a directory; give a file name")
            case S_IFREG:
                try Self.checkDirectory(of: current, for: path)
                target = current
                kind = .regularFile
                return
            default:
                guard access(current, W_OK) == 0 else {
                    throw CommandError("\(path): cannot write there (\(Self.reason(errno)))")
                }
                target = current
                kind = .special
                return
            }
        }
        throw CommandError("\(path): too many levels of symbolic links")
    }

    /// Whether two destinations are the same regular file, so that one result would silently
    /// replace the other. Devices and descriptors may take several results (two writes to
    /// /dev/null lose nothing that was not meant to be lost).
    func isSameFile(as other: OutputDestination) -> Bool {
        guard kind == .regularFile, other.kind == .regularFile else { return false }
        return canonicalTarget == other.canonicalTarget
    }

    /// The target with its directory's symbolic links and `.`/`..` resolved.
    private var canonicalTarget: String {
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        guard let resolved = realpath(directory, nil) else { return url.standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }

    /// The descriptor a path such as `/dev/stdout` or `/proc/self/fd/3` names, or nil.
    private static func descriptorNamed(by path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default: break
        }
        let prefixes = ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(getpid())/fd/"]
        for prefix in prefixes where path.hasPrefix(prefix) {
            if let number = Int32(path.dropFirst(prefix.count)), number >= 0 { return number }
        }
        return nil
    }

    /// Where the symbolic link at `link` points, relative targets taken from the link's directory.
    private static func linkTarget(_ link: String, for path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(link, &buffer, buffer.count - 1)
        guard length >= 0 else { throw CommandError("\(path): cannot follow the symbolic link (\(reason(errno)))") }
        let destination = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if destination.hasPrefix("/") { return destination }
        return URL(fileURLWithPath: link).deletingLastPathComponent().appendingPathComponent(destination).path
    }

    /// Checks that the directory a new or replaced file goes into exists and is writable.
    private static func checkDirectory(of file: String, for path: String) throws {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(path): the directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw CommandError("\(path): cannot create files in \(directory) (\(reason(errno)))")
        }
    }

    /// The system's text for an errno value.
    static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
