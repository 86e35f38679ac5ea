import Foundation
import Reporting

/// Writes a report directory all or nothing: every file goes into a hidden sibling directory,
/// which is renamed into place only when all are written; a failed run leaves nothing behind.
///
/// Goal: never destroy what Quipu did not write. An existing directory at the path is replaced
/// only when it is an earlier Quipu report, recognised by its own manifest (its fields and its
/// list of files) and holding nothing besides the files that manifest lists, and only when none
/// of the run's inputs (the spec, the data) lies inside it. Anything else is refused with the
/// reason, before any estimate is computed (`checkReplaceable`) and again just before writing.
/// A symbolic link at the path is followed: the report goes where the link points, and the link
/// stays a link.
public enum ReportDirectory {
    /// The manifest fields by which a directory is recognised as a Quipu report.
    static let manifestName = "manifest.json"
    static let manifestSignature = ["quipu_version", "files", "spec", "data"]

    /// Writes `files` (relative path → contents) to `path`, refusing to replace a directory that
    /// is not an earlier report or that holds one of `inputs` (paths the run reads).
    public static func write(_ files: [(path: String, contents: String)], to path: String, protecting inputs: [String] = []) throws {
        let manager = FileManager.default
        let target = try checkReplaceable(path, protecting: inputs)
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
            if manager.fileExists(atPath: target.path) {
                // Move the old report aside first: rename(2) cannot replace a non-empty directory.
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
                try manager.moveItem(at: target, to: old)
                do {
                    try manager.moveItem(at: staging, to: target)
                } catch {
                    try? manager.moveItem(at: old, to: target)
                    throw error
                }
                try? manager.removeItem(at: old)
            } else {
                try manager.moveItem(at: staging, to: target)
            }
        } catch let error as ReportWriteError {
            try? manager.removeItem(at: staging)
            throw error
        } catch {
            try? manager.removeItem(at: staging)
            throw ReportWriteError("\(path): could not write the report: \((error as NSError).localizedDescription)")
        }
    }

    /// Checks that a report can be written at `path` without destroying anything Quipu did not
    /// write, and returns the directory that will be written (a symbolic link followed). Call it
    /// before the work, so that a refusal costs nothing.
    @discardableResult
    public static func checkReplaceable(_ path: String, protecting inputs: [String] = []) throws -> URL {
        guard !path.isEmpty else { throw ReportWriteError("--out is empty: give the report directory to write") }
        let manager = FileManager.default
        let given = URL(fileURLWithPath: path).standardizedFileURL
        let target = try followingLink(given, for: path)
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportWriteError("\(path): the directory \(parent.path) does not exist")
        }
        guard manager.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return target }
        guard isDirectory.boolValue else {
            throw ReportWriteError("\(path) exists and is a file, not a report directory: choose another --out")
        }
        let resolvedTarget = resolved(target.path)
        for input in inputs where input != "-" {
            let resolvedInput = resolved(URL(fileURLWithPath: input).standardizedFileURL.path)
            if resolvedInput == resolvedTarget || resolvedInput.hasPrefix(resolvedTarget + "/") || resolvedTarget == "/" {
                throw ReportWriteError("\(path) holds \(input), which this report reads; writing the report there would replace it: choose another --out")
            }
        }
        let present = try filesUnder(target, for: path)
        guard !present.isEmpty else { return target }
        guard let listed = reportFiles(in: target) else {
            let reason = present.contains(manifestName)
                ? "its manifest.json is not a Quipu report's manifest"
                : "it has no Quipu manifest.json"
            throw ReportWriteError("\(path) exists and is not a Quipu report directory (\(reason)); Quipu replaces only a report it wrote: choose another --out, or empty it yourself")
        }
        let foreign = present.filter { $0 != manifestName && !listed.contains($0) }.sorted()
        guard foreign.isEmpty else {
            let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? " and \(foreign.count - 3) more" : "")
            throw ReportWriteError("\(path) is an earlier report but also holds files Quipu did not write (\(shown)); replacing it would delete them: move them out or choose another --out")
        }
        return target
    }

    /// The path a symbolic link at `url` leads to (a chain followed to its end), or `url` itself.
    private static func followingLink(_ url: URL, for path: String) throws -> URL {
        var current = url
        // Linux's own limit on links followed in one lookup (MAXSYMLINKS).
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current.path) else { return current }
            current = destination.hasPrefix("/")
                ? URL(fileURLWithPath: destination).standardizedFileURL
                : current.deletingLastPathComponent().appendingPathComponent(destination).standardizedFileURL
        }
        throw ReportWriteError("\(path): too many levels of symbolic links")
    }

    /// Every file (not directory) under `directory`, as paths relative to it; a symbolic link
    /// counts as a file and is not followed.
    private static func filesUnder(_ directory: URL, for path: String) throws -> Set<String> {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else {
            throw ReportWriteError("\(path): cannot list the directory's contents")
        }
        var files = Set<String>()
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = directory.appendingPathComponent(relative).path
            let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
            if isLink || !FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) || !isDirectory.boolValue {
                files.insert(relative)
            }
        }
        return files
    }

    /// The files an earlier report's manifest lists, or nil when the directory has no manifest
    /// that Quipu wrote (one with all the fields of `manifestSignature` and a list of paths).
    static func reportFiles(in directory: URL) -> Set<String>? {
        let url = directory.appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: url),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              manifestSignature.allSatisfy({ object[$0] != nil }),
              object["quipu_version"] is String,
              let files = object["files"] as? [Any] else { return nil }
        let paths = files.compactMap { $0 as? String }
        guard paths.count == files.count else { return nil }
        return Set(paths)
    }

    /// `path` with symbolic links resolved, when it exists; itself otherwise.
    private static func resolved(_ path: String) -> String {
        guard let pointer = realpath(path, nil) else { return path }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// A report directory that could not be written.
public struct ReportWriteError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
