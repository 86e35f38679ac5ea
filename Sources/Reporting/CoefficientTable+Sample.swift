import Estimation
import Primitives

/// What a regression table says about its sample: the rows read and why rows were dropped, the
/// fixed effects and the weights. One `SampleAccounting` serves `feols` and `fepois`, so a new
/// reason to drop rows is reported once, in the same words and keys, by every regression command;
/// Poisson adds its own two reasons (all-zero groups, separation).
extension CoefficientTable {
    /// The accounting counted from the rows before `--subset`, whose removals are the first
    /// reason, so that the parts and the observations add up to the rows read.
    public var countedSample: SampleAccounting { sample.including(subset: subset) }

    /// Observations used.
    public var observationCount: Int { sample.rowsUsed }

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
    /// file's, before `--subset` (as the JSON's `nobs_read` and `dropped` count them).
    private var droppedSummary: String {
        let counted = countedSample
        var parts = [String]()
        if counted.subset > 0 { parts.append("\(counted.subset) by --subset") }
        if counted.missing > 0 { parts.append("\(counted.missing) with missing values") }
        if counted.nonFinite > 0 { parts.append("\(counted.nonFinite) with non-finite values (inf, or beyond the double range)") }
        for (reason, count) in counted.undefinedTransforms { parts.append("\(reason): \(count) \(count == 1 ? "row" : "rows")") }
        if counted.zeroWeight > 0 { parts.append("\(counted.zeroWeight) with zero weight") }
        if counted.singletons > 0 { parts.append("\(counted.singletons) fixed-effect singletons") }
        if poisson != nil {
            if counted.allZeroGroups > 0 { parts.append("\(counted.allZeroGroups) in fixed-effect groups with an all-zero outcome") }
            if counted.separated > 0 { parts.append("\(counted.separated) separated") }
        }
        return parts.isEmpty ? "" : " (\(counted.rowsRead) rows read; dropped " + parts.joined(separator: ", ") + ")"
    }

    /// The JSON `dropped` object; Poisson's own reasons come after the shared ones.
    var dropRecord: DropRecord {
        let counted = countedSample
        var modelDrops = [(String, JSONValue)]()
        if poisson != nil {
            modelDrops.append(("all_zero_fixed_effect", .integer(counted.allZeroGroups)))
            modelDrops.append(("separated", .integer(counted.separated)))
        }
        return DropRecord(subset: counted.subset, missing: counted.missing, nonFinite: counted.nonFinite,
                          undefinedTransforms: counted.undefinedTransforms.map { DropRecord.UndefinedTransform(reason: $0.reason, rows: $0.rows) },
                          singletons: counted.singletons, zeroWeight: counted.zeroWeight, modelDrops: modelDrops, collinear: collinear)
    }

    /// The JSON `fixed_effects` array.
    var fixedEffectRecords: [FixedEffectRecord] {
        fixedEffects.map { FixedEffectRecord(name: $0.name, levels: $0.levels) }
    }
}
