/// What the first bytes of an input say it is, checked before any parsing, so that a file of the
/// wrong kind is named for what it is instead of failing later in the reader's own terms ("no
/// columns named 'x', 'y' in the header" for a UTF-16 CSV, "this version of the file format is
/// not supported" for a CSV renamed `.dta`).
enum InputSignature {
    /// Why the start of a CSV input cannot be UTF-8 CSV text, or nil. `start` is the input's
    /// first four bytes (after any gzip inflation): a gzip stream given as plain CSV, or a UTF-16
    /// or UTF-32 byte-order mark. A NUL byte further on is the parser's to find, in line order
    /// (`ChunkResult.Failure.nulByte`). Bytes that are not valid UTF-8 but hold no NUL (Latin-1
    /// exports) are let through: their text columns still read, only their accents print oddly.
    static func csvProblem(_ start: UnsafeRawBufferPointer, name: String) -> String? {
        let bytes = start.bindMemory(to: UInt8.self)
        let first = bytes.prefix(4)
        if first.starts(with: [0x1F, 0x8B]) {
            let advice = name == "<stdin>" ? "add --format-in csv.gz" : "name the file .csv.gz or add --format-in csv.gz"
            return "\(name): is gzip-compressed, not CSV text: \(advice)"
        }
        if first.starts(with: [0xFF, 0xFE]) || first.starts(with: [0xFE, 0xFF]) {
            let kind = first.starts(with: [0xFF, 0xFE, 0, 0]) ? "UTF-32" : "UTF-16"
            return "\(name): is not UTF-8 CSV: it is \(kind) text (its byte-order mark says so); "
                + "convert it to UTF-8, e.g. iconv -f \(kind) -t UTF-8"
        }
        return nil
    }

    /// Why a file given as Stata or SPSS is not one, or nil: Stata 117–119 files open with
    /// `<stata_dta>`, older ones (104–116) with their version byte and a byte order of 1 or 2;
    /// SPSS files with `$FL2` or `$FL3`.
    static func readStatProblem(_ start: [UInt8], name: String, format: DataFormat) -> String? {
        let isStata = start.starts(with: Array("<stata_dta>".utf8))
            || (start.count >= 2 && (104...116).contains(start[0]) && (1...2).contains(start[1]))
        let isSPSS = start.starts(with: Array("$FL2".utf8)) || start.starts(with: Array("$FL3".utf8))
        switch format {
        case .stata where !isStata:
            return "\(name): not a Stata file (it does not start as a .dta file does)\(textHint(start))"
        case .spss where !isSPSS:
            return "\(name): not an SPSS file (it does not start with $FL2 or $FL3)\(textHint(start))"
        default:
            return nil
        }
    }

    /// "; it starts like text ('y,x,firm'): a CSV? ..." when the bytes are printable text.
    private static func textHint(_ start: [UInt8]) -> String {
        let head = start.prefix(40)
        guard !head.isEmpty, head.allSatisfy({ $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20..<0x7F).contains($0) || $0 >= 0x80 }) else {
            return ""
        }
        let firstLine = String(decoding: head.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        return "; it starts like text ('\(firstLine)'): if it is CSV, name it .csv or add --format-in csv"
    }
}
