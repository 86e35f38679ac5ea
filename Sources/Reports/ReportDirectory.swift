import Foundation
import Reporting

/// Writes a report directory all or nothing: every file goes into a hidden sibling directory,
/// which is renamed into place only when all are written; a failed run leaves nothing behind, and
/// an earlier report at the same path is replaced whole.
public enum ReportDirectory {
    /// Writes `files` (relative path → contents) to `path`.
    public static func write(_ files: [(path: String, contents: String)], to path: String) throws {
        let manager = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportWriteError("\(path): the directory \(parent.path) does not exist")
        }
        if manager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            let contents = (try? manager.contentsOfDirectory(atPath: target.path)) ?? []
            guard isDirectory.boolValue, contents.isEmpty || contents.contains("manifest.json") else {
                throw ReportWriteError("\(path) exists and is not a report directory (no manifest.json): choose another --out")
            }
        }
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
}

/// A report directory that could not be written.
public struct ReportWriteError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
