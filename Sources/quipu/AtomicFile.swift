import Foundation

/// Writes a command's results all or nothing, so that a reader never sees a partial file and a
/// failed run leaves no file behind: every result is staged first (regular files in a temporary
/// file beside their target), and only when all are staged are they put in place.
enum AtomicFile {
    /// Writes `text` to `path` (see `OutputDestination` for what happens at devices and links).
    static func write(_ text: String, to path: String) throws {
        try write([(text, OutputDestination(path: path))])
    }

    /// Writes every result or none. Results written through (standard output, devices) go first,
    /// because they are the ones that fail late (a full disk behind standard output): if one
    /// does, the staged files are removed instead of renamed into place.
    static func write(_ results: [(text: String, destination: OutputDestination)]) throws {
        var staged = [StagedOutput]()
        do {
            for (_, destination) in results where destination.kind == .regularFile {
                try InputFiles.checkWrite(to: destination.target, option: "the output")
            }
            for (text, destination) in results { staged.append(try StagedOutput(text, to: destination)) }
            for output in staged where output.destination.kind != .regularFile { try output.commit() }
            for output in staged where output.destination.kind == .regularFile { try output.commit() }
        } catch {
            // A committed file's temporary name no longer exists, so only the others go.
            for output in staged { output.discard() }
            throw error
        }
    }

    /// Refuses two options that name the same file, one of whose results would silently replace
    /// the other's; `paths` pairs each option with its path (nil when not given).
    static func refuseSharedFiles(_ paths: [(option: String, path: String?)]) throws {
        var seen = [(option: String, destination: OutputDestination)]()
        for case let (option, path?) in paths {
            // A path that cannot be written is reported by its own option's check.
            guard let destination = try? OutputDestination(path: path) else { continue }
            if let earlier = seen.first(where: { $0.destination.isSameFile(as: destination) }) {
                throw CommandError("\(earlier.option) and \(option) name the same file, '\(path)': give each its own path")
            }
            seen.append((option, destination))
        }
    }
}
