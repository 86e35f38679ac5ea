import Foundation

/// Which coefficients a table shows and under what names: `--rename`, `--keep`, `--drop`.
///
/// As in fixest's `etable`, renaming comes first and `--keep`/`--drop` apply to the new names
/// ("applied post aliasing"); each is a list of regular expressions, a name matching any of
/// them is kept (dropped), and a pattern that starts with `!` selects the names it does not
/// match. Renaming also applies to dependent variables, fixed effects and cluster variables
/// (fixest's `dict`).
public struct CoefficientSelection {
    /// One `--keep` or `--drop` pattern.
    struct Pattern {
        let text: String
        let regex: Regex<AnyRegexOutput>
        let negated: Bool

        func matches(_ name: String) -> Bool { name.contains(regex) != negated }
    }

    /// Exact names and their replacements, in the order given.
    public let renames: [(from: String, to: String)]
    /// `renames` by old name, so that renaming is one lookup per coefficient.
    private let renameTable: [String: String]
    let keep: [Pattern]
    let drop: [Pattern]

    /// Everything shown by default, under its own name.
    public init() {
        renames = []
        renameTable = [:]
        keep = []
        drop = []
    }

    /// Compiles the options; a malformed one throws, naming the option and its value.
    public init(keep: [String], drop: [String], rename: [String]) throws {
        self.keep = try keep.map { try Self.compile($0, option: "--keep") }
        self.drop = try drop.map { try Self.compile($0, option: "--drop") }
        var renames = [(from: String, to: String)]()
        for entry in rename {
            guard let equals = entry.firstIndex(of: "=") else {
                throw TableInputError("--rename '\(entry)': expected OLD=NEW, e.g. --rename grant_1=\"Grant (t-1)\"")
            }
            let from = String(entry[..<equals]), to = String(entry[entry.index(after: equals)...])
            guard !from.isEmpty, !to.isEmpty else {
                throw TableInputError("--rename '\(entry)': both the old and the new name must be non-empty (OLD=NEW)")
            }
            if let earlier = renames.first(where: { $0.from == from }), earlier.to != to {
                throw TableInputError("--rename gives '\(from)' two new names, '\(earlier.to)' and '\(to)'")
            }
            renames.append((from, to))
        }
        self.renames = renames
        self.renameTable = Dictionary(renames.map { ($0.from, $0.to) }, uniquingKeysWith: { first, _ in first })
    }

    private static func compile(_ text: String, option: String) throws -> Pattern {
        let negated = text.hasPrefix("!")
        let body = negated ? String(text.dropFirst()) : text
        do {
            return Pattern(text: text, regex: try Regex(body), negated: negated)
        } catch {
            throw TableInputError("\(option) '\(text)' is not a valid regular expression: \(error)")
        }
    }

    /// The name `name` is shown under.
    public func renamed(_ name: String) -> String {
        renameTable[name] ?? name
    }

    /// Whether a coefficient (by its shown name) is in the table.
    public func shows(_ coefficient: ModelSummary.Coefficient) -> Bool {
        let kept = keep.isEmpty ? coefficient.shownByDefault : keep.contains { $0.matches(coefficient.term) }
        return kept && !drop.contains { $0.matches(coefficient.term) }
    }

    /// The model with its names replaced and only its shown coefficients; two coefficients of
    /// one model renamed to one name are refused (one would hide the other).
    public func apply(to model: ModelSummary, column: Int) throws -> ModelSummary {
        var result = model
        result.dependent = renamed(model.dependent)
        result.fixedEffects = model.fixedEffects.map(renamed)
        if let vcov = model.vcov, vcov.hasPrefix("cluster:") {
            result.vcov = "cluster:" + vcov.dropFirst("cluster:".count).split(separator: "+").map { renamed(String($0)) }.joined(separator: "+")
        }
        var seen = [String: String]()
        var shown = [ModelSummary.Coefficient]()
        for var coefficient in model.coefficients {
            coefficient.term = renamed(coefficient.originalTerm)
            if let other = seen[coefficient.term], other == coefficient.originalTerm {
                throw TableInputError("\(model.source): model (\(column)) has two coefficients named '\(other)'")
            } else if let other = seen[coefficient.term] {
                throw TableInputError("--rename: model (\(column)) from \(model.source) has both '\(other)' and "
                    + "'\(coefficient.originalTerm)' under the name '\(coefficient.term)'")
            }
            seen[coefficient.term] = coefficient.originalTerm
            if shows(coefficient) { shown.append(coefficient) }
        }
        result.coefficients = shown
        return result
    }
}
