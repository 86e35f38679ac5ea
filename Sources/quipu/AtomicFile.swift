import Foundation

/// Writes files so that a reader never sees a partial one: the text goes to a temporary file in
/// the same directory, which is then renamed over the target (rename is atomic on one file system).
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(path): the directory \(directory.path) does not exist")
        }
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CommandError("\(path): could not write the output: \(error.localizedDescription)")
        }
        // rename(2) replaces an existing target atomically (Foundation's replaceItemAt fails on
        // Linux when the target exists).
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CommandError("\(path): could not write the output: \(reason)")
        }
    }
}
