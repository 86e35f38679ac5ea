// Callaway–Sant'Anna's overall effect as a sum over units, for the report's joint bootstrap across
// headlines (Inference/UnitInfluence.swift). R did's `aggte` writes the overall ATT's influence
// function as the cells' influence functions Z mapped by the aggregation weights M (with the
// weights' own estimation term already in M's basis columns); `influenceCovariance` then has
// V_jj = Σ_c (Σ_{i∈c} (Z Mᵀ)_ij)² / n², so unit i contributes ψ_i = (Z Mᵀ)_ij / n with factor 1.

import Inference
import LinearAlgebra

extension CallawaySantAnna {
    /// The unit contributions of the overall (`simple`) estimates, by label; each tied to the
    /// unit's first row of the table read.
    static func unitInfluences(_ influence: Matrix, map: Matrix, estimates: [StaggeredEstimate], panel: UnitPanel) -> [String: UnitInfluence] {
        let n = influence.rows
        guard n == panel.unitFirstRows.count, n > 0 else { return [:] }
        var result = [String: UnitInfluence]()
        for (j, estimate) in estimates.enumerated() where estimate.kind == .simple {
            var values = [Double](repeating: 0, count: n)
            for k in 0..<influence.columns {
                let weight = map[j, k]
                guard weight != 0 else { continue }
                let offset = k * n
                for i in 0..<n { values[i] += weight * influence.values[offset + i] }
            }
            for i in 0..<n { values[i] /= Double(n) }
            result[estimate.label] = UnitInfluence(rows: panel.unitFirstRows, values: values, varianceFactor: 1)
        }
        return result
    }
}
