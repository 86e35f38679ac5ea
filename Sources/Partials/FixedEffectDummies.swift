import LinearAlgebra

/// The crossing fixed effect's dummies partialled out of a summed cross-product, by
/// Frisch–Waugh–Lovell: with C = [[C_dd, C_dr], [C_rd, C_rr]] over the dummies d and the rest r
/// (regressors, then the response), the rest's cross-product with the dummies absorbed is the
/// Schur complement S = C_rr − C_rd Π, Π = C_dd⁻¹ C_dr. Dummies that are combinations of earlier
/// ones (after the nested fixed effect is absorbed, one per connected component of the two fixed
/// effects' graph; without a nested one, none) are dropped first, in level order, by a Cholesky
/// that skips a column whose squared pivot is below 1e-9 of its own square: such a pivot is
/// rounding, as a dummy kept has a pivot of at least its share of one level's rows.
enum FixedEffectDummies {
    struct Reduced {
        /// The dummies kept, as indices into the first `dummies` rows of the cross-product.
        let keptDummies: [Int]
        /// Π over the kept dummies: kept × rest.
        let projection: Matrix
        /// S: rest × rest.
        let schur: Matrix
    }

    static let relativePivotFloor = 1e-9

    static func partialledOut(_ crossProduct: Matrix, dummies: Int) throws(PartialError) -> Reduced {
        let order = crossProduct.rows
        let rest = Array(dummies..<order)
        guard dummies > 0 else {
            return Reduced(keptDummies: [], projection: Matrix(rows: 0, columns: rest.count), schur: crossProduct)
        }
        // In-order Cholesky of C_dd, skipping dependent columns.
        var lower = Matrix(rows: dummies, columns: dummies)
        var kept = [Int]()
        for j in 0..<dummies {
            var pivot = crossProduct[j, j]
            for k in kept { pivot -= lower[j, k] * lower[j, k] }
            guard pivot > relativePivotFloor * crossProduct[j, j] else { continue }
            let root = pivot.squareRoot()
            lower[j, j] = root
            for i in (j + 1)..<dummies {
                var value = crossProduct[i, j]
                for k in kept { value -= lower[i, k] * lower[j, k] }
                lower[i, j] = value / root
            }
            kept.append(j)
        }
        let block = crossProduct.selecting(rows: kept, columns: kept)
        let mixed = crossProduct.selecting(rows: kept, columns: rest)
        var projection = Matrix(rows: kept.count, columns: rest.count)
        do {
            let factor = try block.choleskyUpper()
            let transposed = factor.transposed
            for column in 0..<rest.count {
                let solved = try factor.solveUpperTriangular(try transposed.solveLowerTriangular(mixed.column(column)))
                for row in 0..<kept.count { projection[row, column] = solved[row] }
            }
            let explained = try mixed.multiplied(by: projection, transposeSelf: true)
            var schur = crossProduct.selecting(rows: rest, columns: rest) - explained
            // Symmetric by construction; rounding is evened out so the solver sees one matrix.
            for column in 0..<rest.count {
                for row in 0..<column {
                    let mean = (schur[row, column] + schur[column, row]) / 2
                    schur[row, column] = mean
                    schur[column, row] = mean
                }
            }
            return Reduced(keptDummies: kept, projection: projection, schur: schur)
        } catch {
            throw PartialError("the fixed-effect dummies could not be partialled out: \(error)")
        }
    }
}
