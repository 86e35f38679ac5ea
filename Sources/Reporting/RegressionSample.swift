import Estimation
import Primitives

/// What the `feols` and `fepois` tables say alike about their sample: the rows read and why rows
/// were dropped, the fixed effects and the weights. One rendering serves both, so a new reason to
/// drop rows is reported once, in the same words and keys, by every regression command.
protocol RegressionSample {
    var formula: String { get }
    var observationCount: Int { get }
    var rowsRead: Int { get }
    var droppedMissing: Int { get }
    var droppedNonFinite: Int { get }
    var droppedUndefinedTransforms: [(reason: String, rows: Int)] { get }
    var droppedZeroWeight: Int { get }
    var droppedSingletons: Int { get }
    var collinear: [String] { get }
    var fixedEffects: [(name: String, levels: Int)] { get }
    var redundantFixedEffects: Int { get }
    var weights: String? { get }
    var subset: SubsetSummary? { get }
    /// The model's own drops, after the common ones, as text ("12 separated").
    var modelDropParts: [String] { get }
    /// The same as JSON pairs, placed before `collinear` in `dropped`.
    var modelDropPairs: [(String, JSONValue)] { get }
}

extension RegressionSample {
    var modelDropParts: [String] { [] }
    var modelDropPairs: [(String, JSONValue)] { [] }

    /// The text summary's lines after its title: formula, sample filter, observations with the
    /// rows dropped and why, fixed effects (with the redundant levels), weights.
    var sampleLines: [String] {
        var lines = ["Formula: \(formula)"]
        if let subset { lines.append(subset.line) }
        lines.append("Observations: \(observationCount)" + droppedSummary)
        if !fixedEffects.isEmpty {
            lines.append("Fixed-effects: " + fixedEffects.map { "\($0.name): \($0.levels)" }.joined(separator: ",  ")
                + (fixedEffects.count > 1 ? "  (redundant: \(redundantFixedEffects))" : ""))
        }
        if let weights { lines.append("Weights: \(weights)") }
        return lines
    }

    /// " (N rows read; dropped …)", or nothing when no row was dropped. The rows read are the
    /// file's, before `--subset`, whose removals are listed first, so the parts and the
    /// observations add up to them (as the JSON's `nobs_read` and `dropped` do).
    private var droppedSummary: String {
        var parts = [String]()
        if let subset, subset.removed > 0 { parts.append("\(subset.removed) by --subset") }
        if droppedMissing > 0 { parts.append("\(droppedMissing) with missing values") }
        if droppedNonFinite > 0 { parts.append("\(droppedNonFinite) with non-finite values (inf, or beyond the double range)") }
        for (reason, count) in droppedUndefinedTransforms { parts.append("\(reason): \(count) \(count == 1 ? "row" : "rows")") }
        if droppedZeroWeight > 0 { parts.append("\(droppedZeroWeight) with zero weight") }
        if droppedSingletons > 0 { parts.append("\(droppedSingletons) fixed-effect singletons") }
        parts += modelDropParts
        return parts.isEmpty ? "" : " (\(subset?.rowsBefore ?? rowsRead) rows read; dropped " + parts.joined(separator: ", ") + ")"
    }

    /// The JSON `dropped` object.
    var droppedJSON: JSONValue {
        DropRecord(subset: subset?.removed ?? 0, missing: droppedMissing, nonFinite: droppedNonFinite,
                   undefinedTransforms: droppedUndefinedTransforms.map { DropRecord.UndefinedTransform(reason: $0.reason, rows: $0.rows) },
                   singletons: droppedSingletons, zeroWeight: droppedZeroWeight, modelDrops: modelDropPairs, collinear: collinear).json
    }

    /// The JSON `fixed_effects` array.
    var fixedEffectsJSON: JSONValue {
        .array(fixedEffects.map { .object([("name", .string($0.name)), ("levels", .integer($0.levels))]) })
    }
}
