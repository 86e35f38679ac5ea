import Foundation
import Partials

/// Where `quipu partial` and `quipu combine` put a partial or a solution: an Arrow IPC file
/// written through a temporary file and renamed (`ArrowWriter`), so a failure leaves nothing
/// behind; "-" sends the finished file to standard output.
enum PartialOutput {
    static func write(_ records: PartialRecords, to path: String) throws {
        guard path == "-" else {
            try InputFiles.checkWrite(to: path, option: "--output")
            try records.write(to: path)
            return
        }
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-partial-\(getpid())-\(UUID().uuidString).arrow").path
        defer { try? FileManager.default.removeItem(atPath: spool) }
        try records.write(to: spool)
        guard let bytes = FileManager.default.contents(atPath: spool) else {
            throw CommandError("cannot read back the partial written to \(spool)")
        }
        FileHandle.standardOutput.write(bytes)
    }
}
