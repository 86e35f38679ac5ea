/// A reference level given to `i()` through `ref = ...`, written as a number or as text.
public enum ReferenceValue: Equatable, Hashable, Sendable {
    /// A numeric level such as `2014`, `-1` or `1.5`.
    case number(Double)
    /// A textual level such as `"grains"`; bare names (`ref = grains`) are stored as text too.
    case text(String)

    /// Whether this reference designates the numeric level `number`.
    ///
    /// Text that reads as a decimal number matches that number, so `ref = "2014"` selects the
    /// level 2014 of a numeric factor, as it does in R where levels are compared as strings.
    public func matches(number: Double) -> Bool {
        switch self {
        case .number(let value):
            return value == number
        case .text(let text):
            return ReferenceValue.decimalValue(of: text) == number
        }
    }

    /// Whether this reference designates the textual level `text`.
    ///
    /// A numeric reference matches text that reads as the same number (`"2014"` or `"2014.0"`).
    public func matches(text: String) -> Bool {
        switch self {
        case .number(let value):
            return ReferenceValue.decimalValue(of: text) == value
        case .text(let reference):
            return reference == text
        }
    }

    /// The value as written inside `i(...)`: `2014`, `1.5`, `"grains"`.
    public var name: String {
        switch self {
        case .number(let value):
            return Indicator.levelName(value)
        case .text(let text):
            return ReferenceValue.quoted(text)
        }
    }

    /// The value of `text` when it is a plain decimal number such as `2014`, `-1` or `1.5e3`.
    ///
    /// Swift's `Double(_:)` also accepts hexadecimal, `inf` and `nan`; a factor level spelled that
    /// way is a label rather than a number, so only decimal digits, sign, point and exponent count.
    static func decimalValue(of text: String) -> Double? {
        let allowed: Set<Character> = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "-", ".", "e", "E"]
        guard !text.isEmpty, text.allSatisfy({ allowed.contains($0) }),
              text.contains(where: \.isASCIIDigit)
        else { return nil }
        return Double(text)
    }

    /// `text` between double quotes, escaping the characters that would end or break the literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
