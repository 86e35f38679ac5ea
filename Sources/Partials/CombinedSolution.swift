import Estimation
import Inference
import LinearAlgebra

/// `quipu combine`'s first step (docs/scaling.md section 5.2, steps 3–4): the partitions' sums
/// added in partition order (compensated), the crossing fixed effect's dummies partialled out
/// (Frisch–Waugh–Lovell: the Schur complement of their block is X̃ᵀX̃ with every fixed effect
/// absorbed), and the model solved as `LinearModel.fit` solves it on one machine: the same
/// absorbed-regressor test, the same fixest pivot rule for collinearity, the same scaled Cholesky.
/// Degrees of freedom come from the whole data: the fixed effects' levels and redundant levels
/// (for a nested and a crossing fixed effect, the rank deficiency of the demeaned dummies, which
/// is the number of connected components of their graph; Abowd, Creecy & Kramarz 2002), and K
/// for clustered estimators with fixest's `fixef.K = "nested"` rule.
///
/// The result, the *solution*, is what the second pass over the partitions needs (coefficients,
/// the dummies' projections) and what the final combination needs (bread, sample, statistics).
public enum CombinedSolution {
    /// The solution of the first-pass partials at `paths`.
    public static func records(paths: [String]) throws(PartialError) -> PartialRecords {
        let set = try PartialSet(paths: paths, stage: "moments")
        let model = set.model, partials = set.partials
        let first = partials[0]
        let columns = first.all("column").map(\.key), notes = first.all("note").map(\.key)
        let response = first.all("response").first?.key ?? "y"
        for partial in partials.dropFirst() where partial.all("column").map(\.key) != columns || partial.all("note").map(\.key) != notes {
            throw PartialError("\(partial.source): design columns [\(partial.all("column").map(\.key).joined(separator: ", "))] differ from \(first.source)'s [\(columns.joined(separator: ", "))]")
        }
        let nestedLevels = try checkedNestedLevels(partials, model: model)
        let crossingRows = try crossingLevelRows(partials, model: model)
        let levels = crossingRows.keys.sorted()
        let sample = PartialMoments.summedSample(partials)
        guard sample.rowsUsed > 0 else { throw PartialError("no observations left in any partition (\(sample.rowsRead) rows read)") }

        // The summed cross-product of [dummies | regressors | response].
        let terms = levels.map { "d:" + $0 } + columns.map { "x:" + $0 } + ["y"]
        let position = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
        let order = terms.count
        var sums = [CompensatedSum](repeating: CompensatedSum(0), count: order * order)
        for partial in partials {
            for record in partial.all("moment") {
                guard let a = position[record.key], let b = position[record.key2] else {
                    throw PartialError("\(partial.source): cross-product of unknown terms \(record.key), \(record.key2)")
                }
                sums[min(a, b) * order + max(a, b)].add(record.value)
            }
        }
        var crossProduct = Matrix(rows: order, columns: order)
        for column in 0..<order {
            for row in 0...column {
                crossProduct[row, column] = sums[row * order + column].value
                crossProduct[column, row] = crossProduct[row, column]
            }
        }
        let reduced = try FixedEffectDummies.partialledOut(crossProduct, dummies: levels.count)
        let centres = mergedCentres(partials, variables: ["y"] + columns.map { "x:" + $0 })
        let hasFixedEffects = !model.formula.fixedEffects.isEmpty
        let hasIntercept = model.hasIntercept
        let yCentre = centres[0]
        let totalSumOfSquares = hasIntercept ? yCentre.squares : yCentre.squares + yCentre.weight * yCentre.mean * yCentre.mean
        guard totalSumOfSquares > 0 || !hasIntercept else {
            throw PartialError("outcome '\(response)' has no variation in the estimation sample (all \(sample.rowsUsed) values equal \(yCentre.mean))")
        }
        let k = columns.count
        let withinSumOfSquares = hasFixedEffects ? reduced.schur[k, k] : totalSumOfSquares
        let fixedEffectNames = model.formula.fixedEffects.map(\.name).joined(separator: ", ")
        if hasFixedEffects && !(withinSumOfSquares > totalSumOfSquares * 1e-20) {
            throw PartialError("outcome '\(response)' is fully explained by the fixed effects (\(fixedEffectNames)): nothing left to estimate")
        }
        // As LinearModel.fit: a regressor the fixed effects absorb is set aside before the solve.
        var withinShares = [Double](repeating: 1, count: k)
        var absorbed = [Int]()
        for column in 0..<k where hasFixedEffects {
            let original = centres[column + 1].squares
            withinShares[column] = original > 0 ? reduced.schur[column, column] / original : 0
            if !(withinShares[column] > 1e-20) { absorbed.append(column) }
        }
        let candidates = (0..<k).filter { !absorbed.contains($0) }
        let solution: LeastSquaresSolution
        do {
            solution = try LeastSquaresSolver(collinearity: .fixestPivot(model.collinearityTolerance)).solve(
                crossProduct: reduced.schur.selecting(rows: candidates, columns: candidates), crossResponse: candidates.map { reduced.schur[$0, k] })
        } catch {
            throw PartialError("least squares failed: \(error)")
        }
        let kept = solution.keptColumns.map { candidates[$0] }
        let dropped = (absorbed + solution.droppedColumns.map { candidates[$0] }).sorted()
        let absorbedNames = dropped.filter { hasFixedEffects && !(withinShares[$0] > 1e-10) }.map { columns[$0] }

        let redundant = model.formula.fixedEffects.count >= 2 ? levels.count - reduced.keptDummies.count : 0
        let fixedEffects = model.formula.fixedEffects.map { effect in
            (name: effect.name, levels: effect.variables.first == model.nestedFixedEffect ? nestedLevels : levels.count)
        }
        let fixedEffectParameters = hasFixedEffects ? fixedEffects.reduce(0) { $0 + $1.levels } - redundant : 0
        let parameters = kept.count + fixedEffectParameters
        let clusterParameters = clusteredParameterCount(partials, model: model, coefficients: kept.count, parameters: parameters,
                                                        fixedEffects: fixedEffects)

        var records = model.records + [.init("meta", "stage", "solution"), .init("part", "count", "", Double(partials.count))]
        for (index, partial) in partials.enumerated() {
            records.append(.init("part_rows", "\(index)", "", partial.records.first { $0.kind == "sample" && $0.key == "rows_used" }?.value ?? 0))
        }
        records += PartialMoments.sampleRecords(sample)
        records.append(.init("response", response))
        records += columns.enumerated().map { .init("column", $1, "", Double($0)) }
        records += notes.map { .init("note", $0) }
        records += fixedEffects.map { .init("fixed_effect", $0.name, "", Double($0.levels)) }
        records += [
            .init("statistic", "nobs", "", Double(sample.rowsUsed)), .init("statistic", "tss", "", totalSumOfSquares),
            .init("statistic", "within_ss", "", withinSumOfSquares), .init("statistic", "parameters", "", Double(parameters)),
            .init("statistic", "cluster_parameters", "", Double(clusterParameters)), .init("statistic", "redundant", "", Double(redundant)),
            .init("statistic", "has_intercept", "", hasIntercept ? 1 : 0), .init("statistic", "has_fixed_effects", "", hasFixedEffects ? 1 : 0),
        ]
        records += zip(kept, solution.coefficients).map { .init("coefficient", columns[$0], "", $1) }
        records += dropped.map { .init("collinear", columns[$0]) }
        records += absorbedNames.map { .init("absorbed", $0) }
        for (i, row) in kept.enumerated() {
            for (j, column) in kept.enumerated() { records.append(.init("bread", columns[row], columns[column], solution.inverseCrossProduct[i, j])) }
        }
        for (position, dummy) in reduced.keptDummies.enumerated() {
            records.append(.init("dummy", levels[dummy]))
            for column in kept { records.append(.init("projection", levels[dummy], "x:" + columns[column], reduced.projection[position, column])) }
            records.append(.init("projection", levels[dummy], "y", reduced.projection[position, k]))
        }
        var result = PartialRecords(records: records)
        result.records.append(.init("meta", "solution_id", result.fingerprint))
        return result
    }

    /// The nested fixed effect's levels, summed over partitions, after checking that no level has
    /// rows in two partitions (absorbing it within each would then fit two effects for one level).
    static func checkedNestedLevels(_ partials: [PartialRecords], model: PartialModel) throws(PartialError) -> Int {
        guard let name = model.nestedFixedEffect else { return 0 }
        var owner = [String: String]()
        for partial in partials {
            for record in partial.all("nested_level") {
                if let other = owner.updateValue(partial.source, forKey: record.key) {
                    throw PartialError("\(partial.source): fixed effect '\(name)' level '\(record.key)' also has rows in \(other): a fixed effect absorbed within partitions (--nested-fe) must not be split across them; partition the rows by \(name)")
                }
            }
        }
        return owner.count
    }

    /// Rows per crossing level over all partitions; a level with one row is a singleton that
    /// the single-machine fit would drop (with whatever that drop sets off), which is refused.
    static func crossingLevelRows(_ partials: [PartialRecords], model: PartialModel) throws(PartialError) -> [String: Int] {
        var rows = [String: Int]()
        for partial in partials {
            for record in partial.all("crossing_level") { rows[record.key, default: 0] += Int(record.value) }
        }
        if !model.keepSingletons, let name = model.crossingFixedEffect, let single = rows.keys.sorted().first(where: { rows[$0] == 1 }) {
            throw PartialError("fixed effect '\(name)' level '\(single)' has one observation in the whole data: a singleton across partitions, which partial/combine cannot drop yet; drop that row, or pass --keep-singletons to every partial")
        }
        return rows
    }

    /// Σw, mean and Σw(v − mean)² of each variable over all partitions (Chan, Golub & LeVeque 1979's
    /// pairwise update, in partition order).
    static func mergedCentres(_ partials: [PartialRecords], variables: [String]) -> [(weight: Double, mean: Double, squares: Double)] {
        variables.map { name in
            var merged = (weight: 0.0, mean: 0.0, squares: 0.0)
            for partial in partials {
                let parts = partial.records.filter { $0.kind == "centre" && $0.key == name }
                let weight = parts.first { $0.key2 == "weight" }?.value ?? 0
                guard weight > 0 else { continue }
                let mean = parts.first { $0.key2 == "mean" }?.value ?? 0, squares = parts.first { $0.key2 == "squares" }?.value ?? 0
                let total = merged.weight + weight
                let delta = mean - merged.mean
                merged = (total, merged.mean + delta * weight / total, merged.squares + squares + delta * delta * merged.weight * weight / total)
            }
            return merged
        }
    }

    /// K for CRV1 as `FittedCovariance.parameterCount(of:nestedIn:)`: fixed effects nested in the
    /// cluster variable add only their shared intercept. Nesting is judged over all partitions:
    /// the nested fixed effect's levels are each in one partition, so each partition's answer is
    /// final; a crossing level must have one and the same cluster in every partition.
    static func clusteredParameterCount(_ partials: [PartialRecords], model: PartialModel, coefficients: Int, parameters: Int,
                                        fixedEffects: [(name: String, levels: Int)]) -> Int {
        guard model.cluster != nil, !fixedEffects.isEmpty else { return parameters }
        var nestedInCluster = [String: Bool]()
        if let name = model.nestedFixedEffect {
            nestedInCluster[name] = partials.allSatisfy { partial in
                (partial.records.first { $0.kind == "statistic" && $0.key == "nested_in_cluster" }?.value ?? 1) == 1
            }
        }
        if let name = model.crossingFixedEffect {
            var owner = [String: String]()
            var nested = true
            for partial in partials {
                for record in partial.all("crossing_cluster") {
                    if record.value != 1 || (owner.updateValue(record.key2, forKey: record.key).map { $0 != record.key2 } ?? false) {
                        nested = false
                    }
                }
            }
            nestedInCluster[name] = nested
        }
        guard nestedInCluster.values.contains(true) else { return parameters }
        let notNested = fixedEffects.filter { !(nestedInCluster[$0.name] ?? false) }
        // One fixed effect left has no redundant level among itself (`FixedEffectRedundancy`).
        let absorbed = notNested.isEmpty ? 1 : notNested.reduce(0) { $0 + $1.levels }
        return coefficients + max(absorbed, 1)
    }
}
