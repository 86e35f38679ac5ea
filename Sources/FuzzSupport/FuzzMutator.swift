import Primitives

/// libFuzzer-style mutations of byte strings, for the fuzzing that runs without libFuzzer (the
/// corpus test in `make test`, and the fuzz executables built without `-sanitize=fuzzer`).
public struct FuzzMutator: Sendable {
    /// Tokens worth inserting: the syntax of the format the target reads.
    public let dictionary: [[UInt8]]
    /// Mutations never make an input longer than this.
    public let maximumLength: Int
    /// The shared SplitMix64: the same seed gives the same mutations.
    private var generator: SplitMix64

    /// A mutator drawing from `seed`.
    public init(seed: UInt64, dictionary: [String], maximumLength: Int) {
        self.generator = SplitMix64(state: seed)
        self.dictionary = dictionary.map { Array($0.utf8) }
        self.maximumLength = maximumLength
    }

    /// Tokens of CSV files: quoting, line ends, delimiters, missing-value spellings, number
    /// spellings near the edges of what a double holds, and a byte-order mark.
    public static let csvDictionary: [String] = [
        ",", "\"", "\"\"", "\r\n", "\r", "\n", "\t", ";", "|", " ", "NA", "NaN", ".", "-", "+", "e", "E",
        "1e308", "-1e-320", "1.7976931348623157e308", "4.9e-324", "2.2250738585072011e-308",
        "9007199254740993", "123456789012345678901234567890", "0x1p3", "inf", "-Infinity", "nan",
        "\u{FEFF}", "\"a,b\"", "\"x\ny\"", "-999", "0", "00", ".5", "5.", "1e", "--1", "1,2,3\n",
        "a,b,c\n", "é", "\u{0}",
    ]

    /// Tokens of fixest formulas: operators, known functions, `i()` and its references, the
    /// formula table's column names, backticks and quotes.
    public static let formulaDictionary: [String] = [
        "~", "+", "-", "*", ":", "^", "|", "(", ")", ",", "=", "`", "\"", "'", "\\", "i(", "log(", "exp(",
        "sqrt(", "abs(", "log1p(", "ref = ", "c(", "0", "1", "y", "x", "z", "w", "f", "g", "t", "d", "lon",
        "big", "na", "c", "x.1", "`my var`", "s", " ", "\n", ".", "_", "1e400", "2014L", "-1", "1.5",
        " + ", " | ", " ~ ", "i(f, x, ref = \"a\")", "i(t, d, ref = 2002)", "g^t", "x*z", "é", "\u{301}",
    ]

    /// A mutation of `input`: one to four random edits, sometimes splicing in part of `others`.
    public mutating func mutate(_ input: [UInt8], others: [[UInt8]]) -> [UInt8] {
        var bytes = input
        let edits = 1 + Int(generator.next() % 4)
        for _ in 0..<edits {
            edit(&bytes, others: others)
        }
        if bytes.count > maximumLength { bytes.removeLast(bytes.count - maximumLength) }
        return bytes
    }

    private mutating func below(_ bound: Int) -> Int {
        bound <= 1 ? 0 : Int(generator.next() % UInt64(bound))
    }

    private mutating func edit(_ bytes: inout [UInt8], others: [[UInt8]]) {
        switch below(11) {
        case 0 where !bytes.isEmpty:  // flip a bit
            let index = below(bytes.count)
            bytes[index] ^= 1 << UInt8(below(8))
        case 1 where !bytes.isEmpty:  // a random byte
            bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
        case 2:  // insert a random byte
            bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: below(bytes.count + 1))
        case 3, 4:  // insert a token
            let token = dictionary.isEmpty ? [0x2C] : dictionary[below(dictionary.count)]
            bytes.insert(contentsOf: token, at: below(bytes.count + 1))
        case 5 where !bytes.isEmpty:  // overwrite with a token
            let token = dictionary.isEmpty ? [0x2C] : dictionary[below(dictionary.count)]
            let start = below(bytes.count)
            let end = min(bytes.count, start + token.count)
            bytes.replaceSubrange(start..<end, with: token)
        case 6 where !bytes.isEmpty:  // delete a range
            let start = below(bytes.count)
            let end = min(bytes.count, start + 1 + below(8))
            bytes.removeSubrange(start..<end)
        case 7 where !bytes.isEmpty:  // duplicate a range (wide rows, repeated records)
            let start = below(bytes.count)
            let end = min(bytes.count, start + 1 + below(64))
            bytes.insert(contentsOf: Array(bytes[start..<end]), at: below(bytes.count + 1))
        case 8 where bytes.count > 1:  // swap two bytes
            bytes.swapAt(below(bytes.count), below(bytes.count))
        case 9 where !others.isEmpty:  // splice: this input's head, another's tail
            let other = others[below(others.count)]
            let cut = below(bytes.count + 1)
            let from = below(other.count + 1)
            bytes = Array(bytes[..<cut]) + Array(other[from...])
        default:  // an arithmetic change of a byte, as libFuzzer does
            if bytes.isEmpty {
                bytes.append(UInt8(truncatingIfNeeded: generator.next()))
            } else {
                let index = below(bytes.count)
                bytes[index] = bytes[index] &+ UInt8(truncatingIfNeeded: below(9)) &- 4
            }
        }
    }
}
