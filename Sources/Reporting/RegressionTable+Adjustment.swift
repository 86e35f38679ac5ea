import Inference
import Primitives

/// `quipu table --adjust`: the shown coefficients' p-values adjusted for being read together.
extension RegressionTable {
    /// The family: every shown coefficient with a p-value in every column, except intercepts;
    /// adjusted from the raw p-values the runs wrote (`methods` must not need the bootstrap:
    /// saved runs carry no bootstrap draws).
    public func adjustedPValues(methods: [PValueAdjustment]) -> AdjustedPValues {
        var members = [AdjustedPValues.Member]()
        for (index, model) in models.enumerated() {
            for coefficient in model.coefficients where coefficient.term != "(Intercept)" {
                guard let p = coefficient.pValue, p.isFinite else { continue }
                members.append(AdjustedPValues.Member(source: "(\(index + 1)) \(model.dependent)", modelIndex: index, term: coefficient.term,
                                                      estimate: coefficient.estimate, statistic: coefficient.statistic ?? .nan, pValue: p))
            }
        }
        let columns = Set(members.map(\.modelIndex)).count
        let family = "the shown coefficients of \(columns) column\(columns == 1 ? "" : "s"), intercepts aside"
        return AdjustedPValues(family: family, members: members, methods: methods)
    }

    /// The table's JSON with the adjusted p-values added as `multiple_testing`.
    public func json(adjusted: AdjustedPValues) -> JSONValue {
        guard case .object(let pairs) = json else { return json }
        return .object(pairs + [("multiple_testing", adjusted.json)])
    }
}
