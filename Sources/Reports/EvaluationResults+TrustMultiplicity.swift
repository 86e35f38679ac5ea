import Inference
import Primitives

/// "How far to trust this": the headlines' p-values adjusted for testing every programme ×
/// outcome at once (issue 23, points 4 and 6).
///
/// The family is the report's headline effects (one per programme × outcome-scale pair with a
/// p-value): that is what a reader scans for "significant" results, so that is what the chance of
/// a false positive must be counted over. The adjustments are from the raw p-values (Holm for the
/// family-wise error rate; Benjamini–Hochberg and Anderson's sharpened q for the false discovery
/// rate). Romano–Wolf and Westfall–Young come from one joint bootstrap of the headlines'
/// per-cluster influence (EvaluationResults+TrustJointAdjust).
extension EvaluationResults {
    /// The family: the headline effects that have a p-value, in report order.
    var adjustedFamily: [Effect] { adjustedFamilyIndices.map { effects[$0] } }

    /// Each adjustment's p-values over `adjustedFamily`.
    var headlineAdjusted: [(method: PValueAdjustment, pValues: [Double])] {
        let raw = adjustedFamily.map(\.pValue)
        return spec.inference.adjustments.compactMap { method in (MultipleTesting.adjust(raw, method: method) ?? jointAdjustment?.pValues[method]).map { (method, $0) } }
    }

    /// Who is in the family, in words.
    var adjustedFamilyDescription: String {
        let family = adjustedFamily
        let programmes = spec.programmes.map(\.name).filter { name in family.contains { $0.programme == name } }
        let outcomes = spec.outcomes.count
        return "the \(Self.count(family.count, "headline effect")) (\(programmes.joined(separator: ", ")) × \(Self.count(outcomes, "outcome-scale pair")))"
    }

    /// The headlines' raw and adjusted p-values.
    var adjustedTable: ReportTable {
        let family = adjustedFamily
        let adjusted = headlineAdjusted
        let withTruth = family.contains { $0.truth != nil }
        var header = ["Programme", "Outcome", "Estimator", "Estimate", "p-value"] + adjusted.map { $0.method.title }
        if withTruth { header.append("True effect") }
        let rows = family.enumerated().map { index, effect -> [Cell] in
            var row: [Cell] = [.text(effect.programme), .text(effect.outcome), .text(effect.estimator.displayName), .estimate(effect.estimate),
                               .pValue(effect.pValue)]
            row += adjusted.map { .pValue($0.pValues[index]) }
            if withTruth { row.append(effect.truth.map { .estimate($0) } ?? .text("—")) }
            return row
        }
        return ReportTable(name: "adjusted-p", title: "Headline p-values adjusted for testing \(family.count) effects at once", header: header, rows: rows,
                           note: "The family is \(adjustedFamilyDescription)." + adjustmentReading + " Computed from the raw p-values (the spec's `adjust:` chooses the columns)." + jointAdjustmentNote)
    }

    /// What the chosen adjustments bound, in a sentence or two.
    var adjustmentReading: String {
        let methods = spec.inference.adjustments
        var text = ""
        if methods.contains(.holm) { text += " Holm bounds the chance of even one false positive among them." }
        let discovery = methods.filter { $0 == .bh || $0 == .sharpened }.map(\.title)
        if !discovery.isEmpty { text += " " + discovery.joined(separator: " and ") + " bound\(discovery.count == 1 ? "s" : "") the expected share of false positives among the effects called significant." }
        return text
    }

    /// `{"family", "methods", "members": [{"programme", "outcome", "estimator", "p_value", "adjusted": {...}}]}` in results.json.
    var headlineAdjustedJSON: JSONValue {
        let adjusted = headlineAdjusted
        return .object([
            ("family", .string(adjustedFamilyDescription)),
            ("methods", .array(adjusted.map { .string($0.method.rawValue) })),
            ("members", .array(adjustedFamily.enumerated().map { index, effect in
                .object([("programme", .string(effect.programme)), ("outcome", .string(effect.outcome)),
                         ("estimator", .string(effect.estimator.rawValue)), ("p_value", .finite(effect.pValue)),
                         ("adjusted", .object(adjusted.map { ($0.method.rawValue, .finite($0.pValues[index])) }))])
            })),
        ] + jointAdjustmentJSON)
    }

    /// The paragraph and table of the section.
    var trustMultiplicityBlocks: [ReportDocument.Block] {
        let family = adjustedFamily
        guard !spec.inference.adjustments.isEmpty else {
            return [.paragraph("**Many tests at once.** The spec asks for no adjustment of the headlines' p-values (`adjust: []`); \(adjustedFamilyDescription) are read as if each were the only test.")]
        }
        guard family.count >= 2 else {
            return [.paragraph("**Many tests at once.** The report has \(Self.count(family.count, "headline effect")) with a p-value, so no p-value needs adjusting for the others.")]
        }
        let adjusted = headlineAdjusted
        let threshold = 0.05
        let significant = family.indices.filter { family[$0].pValue < threshold }
        let lost = significant.filter { index in adjusted.contains { $0.pValues[index] >= threshold } }
        let chance = NumberFormat.fixed(Double(family.count) * threshold, decimals: 1)
        let counts = adjusted.map { adjustment in
            "\(adjustment.method.title) \(family.indices.filter { adjustment.pValues[$0] < threshold }.count)"
        }
        var text = "**Many tests at once.** The report tests \(adjustedFamilyDescription). With that many tests, about \(chance) would show p < 0.05 by chance alone even if no programme had any effect. \(significant.count) of \(family.count) headlines have p < 0.05 before adjustment; below 0.05 after adjustment: " + counts.joined(separator: ", ") + "."
        if !lost.isEmpty {
            let items = lost.map { index -> String in
                let effect = family[index]
                let values = adjusted.map { "\($0.method.title) \(Cell.pValue($0.pValues[index]).display)" }.joined(separator: ", ")
                let truth = effect.truth.map { "; true effect " + NumberFormat.tableDigits($0, digits: 3) } ?? ""
                return "\(effect.programme) × \(effect.outcome) (\(effect.estimator.displayName) \(NumberFormat.tableDigits(effect.estimate, digits: 3)), p = \(Cell.pValue(effect.pValue).display); \(values)\(truth))"
            }
            text += " No longer below 0.05 under at least one adjustment: " + items.joined(separator: "; ") + "."
        }
        if adjusted.contains(where: { $0.method == .sharpened }) {
            text += " A sharpened q can be below the raw p: its first stage estimates how many headlines have no effect at all, and the fewer, the less it needs to adjust."
        }
        return [.paragraph(text), .table(adjustedTable)]
    }
}
