// The polyhedra whose union is Δ^RM(M̄) (Rambachan & Roth 2023, §2.4.1 and footnote 9):
// Δ^RM(M̄) = ∪_{s, ±} Δ^RM_{s,±}(M̄), where in Δ^RM_{s,+} the pre-period change δ_{s+1} − δ_s is
// the largest and non-negative, every other pre-period change is at most it in absolute value,
// and every post-period change is at most M̄ times it. Each is {δ : A δ ≤ 0}.
//
// Goals: the rows HonestDiD builds (R `.create_A_RM`, including its removal of all-zero rows and
// of the reference period's column), and the identified set of each polyhedron by linear
// programming (R `.compute_IDset_DeltaRM_fixedS`, Lemma 2.1 of the paper).
//
// The pre-period changes are the T̲ differences δ_{−T̲+1} − δ_{−T̲}, …, δ_0 − δ_{−1} (δ_0 = 0, the
// reference period); `preChange` indexes them oldest first. R HonestDiD loops over all T̲ of them
// (s = −(T̲−1), …, 0); moderndid 0.2.0 loops over s in range(−(T̲−1), 0), which leaves out the
// oldest change: the fixture README says how its reference values are made to follow R.

/// One polyhedron Δ^RM_{s,±}(M̄) for an event study with `preCount` pre- and `postCount`
/// post-periods; columns are δ without the reference period (pre-periods, then post-periods).
struct RelativeMagnitudesPolyhedron {
    let preCount: Int
    let postCount: Int
    /// Which pre-period change is the largest: 0 is the oldest, preCount − 1 is δ_0 − δ_{−1}.
    let preChange: Int
    /// Whether that change is non-negative (+) or non-positive (−).
    let positive: Bool
    let mbar: Double

    /// The rows of A (A δ ≤ 0), each with preCount + postCount entries.
    var rows: [[Double]] {
        let width = preCount + postCount + 1  // with the reference period δ_0 at index preCount
        var largest = [Double](repeating: 0, count: width)
        largest[preChange] = positive ? -1 : 1
        largest[preChange + 1] = positive ? 1 : -1
        var result: [[Double]] = []
        for side in [1.0, -1.0] {
            for change in 0..<(preCount + postCount) {
                // ±(δ_{t+1} − δ_t) − bound · (largest change) ≤ 0, bound 1 before treatment, M̄ after.
                let bound = change < preCount ? 1.0 : mbar
                var row = largest.map { -bound * $0 }
                row[change] -= side
                row[change + 1] += side
                // A change bounded by itself gives 0 ≤ 0: HonestDiD drops such all-zero rows.
                guard row.reduce(0, { $0 + $1 * $1 }) > 1e-10 else { continue }
                row.remove(at: preCount)
                result.append(row)
            }
        }
        return result
    }

    /// Every polyhedron of Δ^RM(M̄): each pre-period change, each sign.
    static func all(preCount: Int, postCount: Int, mbar: Double) -> [RelativeMagnitudesPolyhedron] {
        (0..<preCount).flatMap { change in
            [true, false].map { RelativeMagnitudesPolyhedron(preCount: preCount, postCount: postCount,
                                                             preChange: change, positive: $0, mbar: mbar) }
        }
    }

    /// The identified set of θ = l'τ_post on this polyhedron at the population β = `estimates`:
    /// l'β_post − max/min l'δ_post over δ in the polyhedron with δ_pre = β_pre. When either program
    /// has no solution (the data put the largest change elsewhere) the set is the point l'β_post,
    /// as in HonestDiD; the union over polyhedra is unaffected since the true one contains it.
    func identifiedSet(estimates: [Double], weights: [Double]) throws -> (lower: Double, upper: Double) {
        let pre = Array(estimates[0..<preCount]), post = Array(estimates[preCount...])
        let point = innerProduct(weights, post)
        let constraintRows = rows
        // A_post δ_post ≤ −A_pre β_pre.
        let postRows = constraintRows.map { Array($0[preCount...]) }
        let bounds = constraintRows.map { -innerProduct(Array($0[0..<preCount]), pre) }
        var optima: [Double] = []
        for direction in [1.0, -1.0] {
            let outcome = BoundedLinearProgram.minimizeFree(objective: weights.map { direction * $0 },
                                                            inequalityRows: postRows, upperBounds: bounds)
            switch outcome {
            case let .optimal(_, value): optima.append(direction * value)
            case .infeasible, .unbounded: return (point, point)
            case .iterationLimit:
                throw SensitivityError.optimizationFailed("the identified set's linear program (M̄ = \(mbar)) stopped at its pivot limit")
            }
        }
        // optima = [min l'δ_post, max l'δ_post]
        return (point - optima[1], point - optima[0])
    }
}
