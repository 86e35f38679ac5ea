import Inference
import Primitives

/// A family of hypotheses tested together and their multiplicity-adjusted p-values, as feols,
/// fepois and `quipu table` print them below their results when `--adjust` asks for them.
///
/// The family is stated in words (`family`) because an adjusted p-value means nothing without
/// knowing which other tests it was adjusted for.
public struct AdjustedPValues: Sendable {
    /// One hypothesis (coefficient = 0) of the family.
    public struct Member: Sendable {
        /// Where it comes from: "model 2 (y2)", "(3)".
        public let source: String
        /// The position of its model in the list (0-based), for the CSV columns.
        public let modelIndex: Int
        public let term: String
        public let estimate: Double
        public let statistic: Double
        /// The raw p-value, as the model's table states it.
        public let pValue: Double

        public init(source: String, modelIndex: Int, term: String, estimate: Double, statistic: Double, pValue: Double) {
            self.source = source
            self.modelIndex = modelIndex
            self.term = term
            self.estimate = estimate
            self.statistic = statistic
            self.pValue = pValue
        }
    }

    /// Which tests were adjusted together, in words.
    public let family: String
    public let members: [Member]
    /// The adjustments, in the order asked for, each with one adjusted p-value per member (NaN
    /// where the member has no raw p-value).
    public let adjustments: [(method: PValueAdjustment, pValues: [Double])]
    /// How the bootstrap adjustments were run (replicates, seed, weights, clusters), if any.
    public let bootstrap: String?

    public init(family: String, members: [Member], adjustments: [(method: PValueAdjustment, pValues: [Double])], bootstrap: String?) {
        self.family = family
        self.members = members
        self.adjustments = adjustments
        self.bootstrap = bootstrap
    }

    /// The adjustments from raw p-values (`methods` must not need the bootstrap).
    public init(family: String, members: [Member], methods: [PValueAdjustment]) {
        let raw = members.map(\.pValue)
        self.init(family: family, members: members,
                  adjustments: methods.compactMap { method in MultipleTesting.adjust(raw, method: method).map { (method, $0) } },
                  bootstrap: nil)
    }

    /// The title line of every rendering.
    var heading: String { "Adjusted p-values (\(members.count) tests: \(family))" }

    /// A text block: the heading, then one aligned row per member.
    public var text: String {
        var cells = [["", "term", "Estimate", "p-value"] + adjustments.map(\.method.columnHeading)]
        for (index, member) in members.enumerated() {
            cells.append([member.source, member.term, NumberFormat.significant(member.estimate), NumberFormat.pValue(member.pValue)]
                         + adjustments.map { NumberFormat.pValue($0.pValues[index]) })
        }
        var lines = [heading]
        lines += CoefficientRow.aligned(cells, starsColumn: nil)
        lines += notes
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table under a heading line.
    public var markdown: String {
        var lines = ["**\(heading)**", "", "| Model | Term | Estimate | p | " + adjustments.map(\.method.columnHeading).joined(separator: " | ") + " |",
                     "|:--|:--|--:|--:|" + String(repeating: "--:|", count: adjustments.count)]
        for (index, member) in members.enumerated() {
            lines.append("| \(member.source) | `\(member.term)` | \(NumberFormat.significant(member.estimate)) | \(NumberFormat.pValue(member.pValue)) | "
                         + adjustments.map { NumberFormat.pValue($0.pValues[index]) }.joined(separator: " | ") + " |")
        }
        if !notes.isEmpty { lines += [""] + notes }
        return lines.joined(separator: "\n") + "\n"
    }

    /// LaTeX comment lines (the models' tables stay as they are).
    public var latexComment: String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "% " + $0 }.joined(separator: "\n") + "\n"
    }

    /// The adjusted p-values of a model's coefficient, in the order of `adjustments`; nil when it
    /// is not in the family.
    public func adjusted(modelIndex: Int, term: String) -> [Double]? {
        guard let index = members.firstIndex(where: { $0.modelIndex == modelIndex && $0.term == term }) else { return nil }
        return adjustments.map { $0.pValues[index] }
    }

    /// What the reader must know: the methods' error rates and, for the bootstrap ones, the run.
    var notes: [String] {
        let methods = adjustments.map(\.method)
        let familyWise = methods.filter { [.holm, .romanoWolf, .westfallYoung].contains($0) }.map(\.title)
        let discovery = methods.filter { [.bh, .sharpened].contains($0) }.map(\.title)
        var notes = [String]()
        if !familyWise.isEmpty { notes.append(familyWise.joined(separator: ", ") + ": calling significant every test whose adjusted p is below a level keeps the chance of even one false positive in the family below that level.") }
        if !discovery.isEmpty { notes.append(discovery.joined(separator: ", ") + ": calling significant every test whose adjusted p is below a level keeps the expected share of false positives among them below that level.") }
        if let bootstrap { notes.append("Bootstrap: " + bootstrap + ".") }
        return notes
    }

    /// `{"family", "methods", "bootstrap", "members": [{"model", "term", "estimate", "statistic", "p_value", "adjusted": {...}}]}`.
    public var json: JSONValue {
        .object([
            ("family", .string(family)),
            ("methods", .array(adjustments.map { .string($0.method.rawValue) })),
            ("bootstrap", bootstrap.map(JSONValue.string) ?? .null),
            ("members", .array(members.enumerated().map { index, member in
                .object([
                    ("model", .string(member.source)), ("term", .string(member.term)),
                    ("estimate", .finite(member.estimate)), ("statistic", .finite(member.statistic)), ("p_value", .finite(member.pValue)),
                    ("adjusted", .object(adjustments.map { ($0.method.rawValue, .finite($0.pValues[index])) })),
                ])
            })),
        ])
    }
}
