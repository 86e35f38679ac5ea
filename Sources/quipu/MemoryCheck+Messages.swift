import Primitives
import PanelData
import Reporting

/// The command line's wording of `MemoryCheck`: a refusal (exit 1, nothing read) or a warning.
extension MemoryCheck {
    /// Checks a command's columns of `path` against `--max-memory` (nil: the memory available
    /// now; none: no check). Throws, naming the file and the figures, when they cannot fit even at
    /// the command's lower factor; warns when they might not at its upper one.
    static func enforce(path: String, format: DataFormat, columns: Int, demand: MemoryDemand, maxMemory: MemoryLimit?) throws {
        let limitGiven = maxMemory != nil
        let limit = maxMemory.map(\.byteCount) ?? available()
        guard let check = assess(path: path, format: format, columns: columns, demand: demand, limit: limit) else { return }
        let estimate = check.rows
        let rows = estimate.exact ? "\(NumberFormat.grouped(estimate.rows)) rows (\(estimate.basis))" : "about \(NumberFormat.grouped(estimate.rows)) rows (\(estimate.basis))"
        let room = limitGiven ? "the \(byteDescription(check.limit)) that --max-memory allows" : "the \(byteDescription(check.limit)) the system has available"
        let holding = "\(path): \(rows); \(demand.command) would hold \(columns) column\(columns == 1 ? "" : "s") of it, "
            + "\(byteDescription(Int(check.columnBytes))) as doubles"
        guard check.cannotFit else {
            warn(holding + ", and may need up to \(byteDescription(Int(check.most))) with its working copies (at least "
                + "\(byteDescription(Int(check.least)))), more than \(room); reading it anyway")
            return
        }
        let advice = limitGiven
            ? "Raise --max-memory if the limit is too low"
            : "Run it on a machine with more memory or on part of the file (--max-memory none skips this check)"
        throw CommandError(
            holding + ", and needs at least \(byteDescription(Int(check.least))) with its working copies, more than \(room); "
                + "not reading it. \(advice)")
    }
}
