import Formula
import Inference

/// The model a set of partials belongs to, as `quipu partial` was asked for it; written into every
/// partial (`meta` records) so that `quipu combine` can refuse partials of different models.
///
/// Which fixed effects can be absorbed where the rows are (docs/scaling.md section 5.1): a fixed
/// effect *nested in the partition key* (every level's rows in one partition, as the firm effect
/// when the data are partitioned by firm) is absorbed exactly within each partition; a fixed
/// effect that *crosses* partitions (the year) enters as explicit dummy columns, whose
/// cross-products are summed, and is partialled out on the driver (Frisch–Waugh–Lovell). This
/// first version takes at most one of each, which covers the firm-year evaluation; two-way
/// clustering, bootstraps, `i()` terms and several crossing fixed effects are refused.
public struct PartialModel: Sendable, Equatable {
    public let formulaText: String
    public let formula: ModelFormula
    public let weights: String?
    public let covariance: CovarianceType
    /// The fixed effect absorbed within partitions, if any.
    public let nestedFixedEffect: String?
    /// The fixed effect entered as dummy columns, if any.
    public let crossingFixedEffect: String?
    public let keepSingletons: Bool
    public let collinearityTolerance: Double
    public let fixedEffectTolerance: Double

    /// The model of `formulaText` with the fixed effects named in `nested` absorbed within
    /// partitions and any other fixed effect entered as dummies.
    public init(formula formulaText: String, weights: String?, covariance: CovarianceType, nested: [String], keepSingletons: Bool,
                collinearityTolerance: Double, fixedEffectTolerance: Double) throws(PartialError) {
        let formula: ModelFormula
        do {
            formula = try ModelFormula.parse(formulaText)
        } catch {
            throw PartialError("--formula: \(error)")
        }
        for term in formula.terms where term.indicator != nil {
            throw PartialError("--formula: i() terms are not supported by partial/combine yet (their reference level depends on the whole sample); write the dummies as columns")
        }
        var nestedEffects = [String](), crossingEffects = [String]()
        for effect in formula.fixedEffects {
            guard effect.variables.count == 1, let variable = effect.variables.first else {
                throw PartialError("--formula: the combined fixed effect \(effect.name) is not supported by partial/combine yet; make it a column")
            }
            if nested.contains(variable) { nestedEffects.append(variable) } else { crossingEffects.append(variable) }
        }
        for name in nested where !nestedEffects.contains(name) {
            throw PartialError("--nested-fe \(name): not a fixed effect of the formula")
        }
        guard nestedEffects.count <= 1, crossingEffects.count <= 1 else {
            throw PartialError("--formula: partial/combine takes at most one fixed effect nested in the partition key (--nested-fe) and one crossing the partitions so far; got nested [\(nestedEffects.joined(separator: ", "))], crossing [\(crossingEffects.joined(separator: ", "))]")
        }
        guard covariance.clusterVariables.count <= 1 else {
            throw PartialError("--vcov \(covariance): two-way clustering is not supported by partial/combine yet")
        }
        self.formulaText = formulaText
        self.formula = formula
        self.weights = weights
        self.covariance = covariance
        self.nestedFixedEffect = nestedEffects.first
        self.crossingFixedEffect = crossingEffects.first
        self.keepSingletons = keepSingletons
        self.collinearityTolerance = collinearityTolerance
        self.fixedEffectTolerance = fixedEffectTolerance
    }

    /// The cluster variable, for CRV1.
    public var cluster: String? { covariance.clusterVariables.first }

    /// The formula each partition builds its frame from: the nested fixed effect only (absorbed
    /// there) and no intercept column when the model has fixed effects (they absorb it).
    var partitionFormula: ModelFormula {
        var reduced = formula
        reduced.fixedEffects = formula.fixedEffects.filter { $0.variables.first == nestedFixedEffect }
        if !formula.fixedEffects.isEmpty { reduced.hasIntercept = false }
        return reduced
    }

    /// Whether the model has an intercept (explicit, or absorbed in fixed effects).
    var hasIntercept: Bool { !formula.fixedEffects.isEmpty || formula.hasInterceptColumn }

    /// The data columns a partition must have.
    public var columns: Set<String> {
        var names = formula.variables
        if let weights { names.insert(weights) }
        if let cluster { names.insert(cluster) }
        return names
    }

    /// The model as `meta` records.
    var records: [PartialRecords.Record] {
        [
            .init("meta", "formula", formulaText), .init("meta", "weights", weights ?? ""), .init("meta", "vcov", covariance.description),
            .init("meta", "nested_fe", nestedFixedEffect ?? ""), .init("meta", "crossing_fe", crossingFixedEffect ?? ""),
            .init("meta", "keep_singletons", keepSingletons ? "true" : "false"),
            .init("meta", "collin_tol", "", collinearityTolerance), .init("meta", "fixef_tol", "", fixedEffectTolerance),
        ]
    }

    /// The model written in `partial`'s records.
    public init(records partial: PartialRecords) throws(PartialError) {
        func text(_ key: String) throws(PartialError) -> String {
            guard let value = partial.meta(key) else { throw PartialError("\(partial.source): no '\(key)' setting; not a complete Quipu partial") }
            return value
        }
        func number(_ key: String) throws(PartialError) -> Double {
            guard let record = partial.records.first(where: { $0.kind == "meta" && $0.key == key }) else {
                throw PartialError("\(partial.source): no '\(key)' setting; not a complete Quipu partial")
            }
            return record.value
        }
        let covariance: CovarianceType
        do {
            covariance = try CovarianceType(parsing: try text("vcov"))
        } catch let error as PartialError {
            throw error
        } catch {
            throw PartialError("\(partial.source): \(error)")
        }
        let weights = try text("weights"), nested = try text("nested_fe")
        do {
            try self.init(formula: try text("formula"), weights: weights.isEmpty ? nil : weights, covariance: covariance,
                          nested: nested.isEmpty ? [] : [nested], keepSingletons: try text("keep_singletons") == "true",
                          collinearityTolerance: try number("collin_tol"), fixedEffectTolerance: try number("fixef_tol"))
        } catch {
            throw PartialError("\(partial.source): \(error.message)")
        }
    }

    /// What differs between this model and `other`, in words, or nil when they are the same.
    func difference(from other: PartialModel) -> String? {
        if formulaText != other.formulaText { return "formula '\(formulaText)' vs '\(other.formulaText)'" }
        if weights != other.weights { return "weights \(weights ?? "none") vs \(other.weights ?? "none")" }
        if covariance != other.covariance { return "vcov \(covariance) vs \(other.covariance)" }
        if nestedFixedEffect != other.nestedFixedEffect { return "nested fixed effect \(nestedFixedEffect ?? "none") vs \(other.nestedFixedEffect ?? "none")" }
        if keepSingletons != other.keepSingletons { return "keep-singletons \(keepSingletons) vs \(other.keepSingletons)" }
        if collinearityTolerance != other.collinearityTolerance || fixedEffectTolerance != other.fixedEffectTolerance { return "tolerances" }
        return nil
    }
}
