/// What one chunk produced: a column per kept field, and how many rows and lines it covered.
struct ChunkResult {
    /// A problem that stops parsing, with its line counted from the chunk's first line (0).
    enum Failure: Equatable {
        case ragged(line: Int, found: Int)
        case unterminatedQuote(line: Int)
        /// A kept field holds a NUL byte, which no text holds: a binary file, or UTF-16.
        case nulByte(line: Int)
    }

    let columns: ChunkColumns
    var rowCount = 0
    /// Line breaks consumed, inside quotes included, so the next chunk knows its first line.
    var lineCount = 0
    var failure: Failure?
}
