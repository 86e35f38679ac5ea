import Foundation
import Primitives

/// The significance marks of a regression table and their legend.
///
/// The default is fixest `etable`'s for exported tables, `c("***"=0.01, "**"=0.05, "*"=0.10)`
/// (its documentation of `signif.code`: "Default is c("***"=0.01, "**"=0.05, "*"=0.10) for a
/// Latex table and c("***"=0.001, "**"=0.01, "*"=0.05, "."=0.10) for a data.frame"). `quipu
/// table` uses one default for every format, so that the text preview marks what the LaTeX
/// will; `--stars "***=0.001,**=0.01,*=0.05,.=0.1"` gives R's console codes.
public struct SignificanceStars: Sendable, Equatable {
    /// Marks and thresholds, smallest threshold (most stars) first: p < threshold earns the mark.
    public let levels: [(symbol: String, threshold: Double)]

    public static func == (lhs: SignificanceStars, rhs: SignificanceStars) -> Bool {
        lhs.levels.map(\.symbol) == rhs.levels.map(\.symbol) && lhs.levels.map(\.threshold) == rhs.levels.map(\.threshold)
    }

    /// fixest `etable`'s default for exported tables.
    public static let standard = SignificanceStars(levels: [("***", 0.01), ("**", 0.05), ("*", 0.1)])
    /// No marks.
    public static let none = SignificanceStars(levels: [])

    init(levels: [(symbol: String, threshold: Double)]) {
        self.levels = levels.sorted { $0.threshold < $1.threshold }
    }

    /// Parses `--stars`: `none`; thresholds alone ("0.01,0.05,0.1", the smallest earning the most
    /// stars); or marks with thresholds ("***=0.001,**=0.01,*=0.05,.=0.1").
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "none" || trimmed.isEmpty {
            self = .none
            return
        }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var parsed = [(symbol: String?, threshold: Double)]()
        for part in parts {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let thresholdText = pieces.count == 2 ? pieces[1].trimmingCharacters(in: .whitespaces) : part
            guard let threshold = Double(thresholdText), threshold > 0, threshold <= 1 else {
                throw TableInputError("--stars '\(text)': '\(part)' is not a threshold between 0 and 1 "
                    + "(give e.g. \"0.01,0.05,0.1\", \"***=0.01,**=0.05,*=0.1\" or none)")
            }
            let symbol = pieces.count == 2 ? pieces[0].trimmingCharacters(in: .whitespaces) : nil
            if let symbol, symbol.isEmpty || symbol.contains(where: { $0.isWhitespace }) {
                throw TableInputError("--stars '\(text)': the mark before '=' in '\(part)' must be non-empty, without spaces")
            }
            parsed.append((symbol, threshold))
        }
        let thresholds = parsed.map(\.threshold).sorted()
        guard Set(thresholds).count == thresholds.count else {
            throw TableInputError("--stars '\(text)': each threshold may appear once")
        }
        let ordered = parsed.sorted { $0.threshold < $1.threshold }
        let count = ordered.count
        let levels = ordered.enumerated().map { index, level in
            (symbol: level.symbol ?? String(repeating: "*", count: count - index), threshold: level.threshold)
        }
        guard Set(levels.map(\.symbol)).count == levels.count else {
            throw TableInputError("--stars '\(text)': each mark may appear once")
        }
        self.init(levels: levels)
    }

    /// The mark a p-value earns ("" when none, or when the p-value is unknown).
    public func mark(_ pValue: Double?) -> String {
        guard let pValue, pValue.isFinite else { return "" }
        return levels.first { pValue < $0.threshold }?.symbol ?? ""
    }

    /// The widest mark, to align estimates in plain text.
    public var width: Int { levels.map(\.symbol.count).max() ?? 0 }

    /// The legend, e.g. "*** p < 0.01, ** p < 0.05, * p < 0.1" (empty without marks).
    public var legend: String {
        levels.map { "\($0.symbol) p < \(NumberFormat.significant($0.threshold))" }.joined(separator: ", ")
    }

    /// The thresholds by mark, for the JSON output.
    public var json: JSONValue {
        .object(levels.map { ($0.symbol, .number($0.threshold)) })
    }
}
