/// Reads the header record: skips a UTF-8 byte-order mark and leading blank lines, then splits
/// the first record into column names.
enum HeaderReader {
    /// The header's names and where the data starts.
    struct Header {
        /// The column names, in file order, unquoted; unnamed columns are called V1, V2, ...
        let names: [String]
        /// The header's line number (1 unless blank lines precede it).
        let line: Int
        /// The line number of the first byte after the header.
        let dataLine: Int
    }

    /// Consumes the header from `stream`, reading more blocks until it is complete.
    static func read(_ stream: BlockStream, blockSize: Int, delimiter: UInt8, source: String) throws(CSVError) -> Header {
        let parser = ChunkParser(
            layout: ParseLayout(delimiter: delimiter, fieldCount: 1, keptFields: [], missing: MissingTokens([])),
            knownText: [])
        var line = 1
        var checkedMark = false
        while true {
            try stream.fill(blockSize)
            let atEnd = stream.atEnd
            if !checkedMark {
                let bytes = stream.bytes
                if bytes.count < 3 && !atEnd { continue }
                checkedMark = true
                if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                    stream.consume(3)
                }
            }
            // Blank lines before the header are skipped; a blank input has no header.
            let bytes = stream.bytes
            var start = 0
            var scan = 0
            while true {
                while scan < bytes.count && parser.layout.isPadding(bytes[scan]) { scan += 1 }
                guard scan < bytes.count, bytes[scan] == .newline else { break }
                scan += 1
                start = scan
                line += 1
            }
            stream.consume(start)
            if scan == bytes.count {
                if atEnd { throw CSVError.empty(source: source) }
                continue
            }
            let remaining = stream.bytes
            guard let base = remaining.baseAddress else { continue }
            switch split(base, base + remaining.count, atEnd: atEnd, parser: parser) {
            case .incomplete:
                continue
            case .unterminatedQuote:
                throw CSVError.unterminatedQuote(source: source, line: line)
            case .complete(let fields, let length, let lineBreaks):
                if fields.contains(where: { $0.utf8.contains(0) }) { throw CSVError.notText(source: source, line: line) }
                stream.consume(length)
                let names = fields.enumerated().map { index, name in name.isEmpty ? "V\(index + 1)" : name }
                return Header(names: names, line: line, dataLine: line + lineBreaks)
            }
        }
    }

    /// The outcome of splitting the header record.
    private enum Split {
        case incomplete
        case unterminatedQuote
        case complete(fields: [String], length: Int, lineBreaks: Int)
    }

    /// Splits the first record of `start..<end` into names. Unquoted names lose surrounding
    /// padding; quoted names are kept exactly.
    private static func split(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, atEnd: Bool, parser: ChunkParser
    ) -> Split {
        var fields: [String] = []
        var p = start
        var lineBreaks = 0
        while true {
            if p < end && p.pointee == .quote {
                guard let quoted = parser.scanQuoted(p, end) else {
                    return atEnd ? .unterminatedQuote : .incomplete
                }
                parser.withQuotedToken(quoted) { fields.append(String(decoding: $0, as: UTF8.self)) }
                lineBreaks += quoted.lineBreaks
                p = quoted.fieldEnd
            } else {
                var q = p
                while q < end && q.pointee != parser.layout.delimiter && q.pointee != .newline { q += 1 }
                fields.append(String(decoding: parser.trimmed(p, q), as: UTF8.self))
                p = q
            }
            if p == end {
                // Without a line break the header is complete only at the end of the input.
                return atEnd ? .complete(fields: fields, length: p - start, lineBreaks: lineBreaks) : .incomplete
            }
            if p.pointee == .newline {
                return .complete(fields: fields, length: p + 1 - start, lineBreaks: lineBreaks + 1)
            }
            p += 1
        }
    }
}
