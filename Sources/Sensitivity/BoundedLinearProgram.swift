// A bounded linear-program solver for the sensitivity analyses (Rambachan & Roth 2023; the
// conditional tests of Andrews, Roth & Pakes 2023 solve one linear program per tested value).
//
// Goals, in order: never a hang (a hard iteration cap, an anti-cycling pivot rule); a result that
// says what happened (optimal, infeasible, unbounded, iteration limit) so that callers turn a
// failure into one clear message; exact enough for the tests' grids; then speed (the programs
// here have tens of rows and columns, so a dense tableau is the simplest fast choice).
//
// Method: the two-phase primal simplex on a dense tableau (Dantzig's textbook method) with Bland's
// smallest-index rule for both the entering and the leaving variable, which cannot cycle in exact
// arithmetic (Bland 1977). HonestDiD solves the same programs with GLPK (R) or HiGHS (moderndid);
// on a degenerate program several optimal vertices exist and any of them is a valid answer.
//
// Tolerances (after each row is scaled to a largest absolute entry of 1, which changes nothing
// about the solution):
// - a pivot entry must exceed `pivotTolerance` = 1e-9 in absolute value;
// - a reduced cost below −`optimalityTolerance` (1e-9 × max(1, |c|∞)) lets a column enter;
// - phase 1 declares the program infeasible when the artificial variables' sum stays above
//   `feasibilityTolerance` (1e-9 × max(1, |b|∞)).

/// min c'x subject to A x = b and x ≥ 0 (standard form), solved by the bounded two-phase simplex.
struct BoundedLinearProgram: Sendable {
    /// The cost vector c (one entry per variable).
    let objective: [Double]
    /// The rows of A, each with one entry per variable.
    let constraintRows: [[Double]]
    /// The right-hand side b (one entry per row).
    let rightHandSide: [Double]
    /// The most pivots both phases may take together.
    let iterationLimit: Int

    static let pivotTolerance = 1e-9
    static let relativeTolerance = 1e-9

    /// What the solver found.
    enum Outcome: Sendable {
        case optimal(solution: [Double], value: Double)
        case infeasible
        case unbounded
        case iterationLimit
    }

    /// A program of `constraintRows.count` equations in `objective.count` non-negative variables.
    /// The default iteration cap is far above what Bland's rule takes on these small programs and
    /// still returns in milliseconds if it is ever reached.
    init(objective: [Double], constraintRows: [[Double]], rightHandSide: [Double], iterationLimit: Int? = nil) {
        self.objective = objective
        self.constraintRows = constraintRows
        self.rightHandSide = rightHandSide
        self.iterationLimit = iterationLimit ?? max(1_000, 50 * (constraintRows.count + objective.count))
    }

    /// The optimum, or a typed error naming `purpose` when there is none.
    func optimum(purpose: String) throws -> (solution: [Double], value: Double) {
        switch solve() {
        case let .optimal(solution, value): return (solution, value)
        case .infeasible: throw SensitivityError.optimizationFailed("the linear program for \(purpose) is infeasible")
        case .unbounded: throw SensitivityError.optimizationFailed("the linear program for \(purpose) is unbounded")
        case .iterationLimit:
            throw SensitivityError.optimizationFailed("the linear program for \(purpose) stopped at its limit of \(iterationLimit) pivots")
        }
    }

    /// Solves the program; never loops beyond `iterationLimit` pivots.
    func solve() -> Outcome {
        let rowCount = constraintRows.count, variableCount = objective.count
        guard rightHandSide.count == rowCount, constraintRows.allSatisfy({ $0.count == variableCount }) else {
            return .infeasible
        }
        guard objective.allSatisfy(\.isFinite), rightHandSide.allSatisfy(\.isFinite),
              constraintRows.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return .infeasible }
        var tableau = SimplexTableau(rows: constraintRows, rightHandSide: rightHandSide, variableCount: variableCount)
        var pivotsLeft = iterationLimit

        // Phase 1: minimise the sum of the artificial variables (one per row, the starting basis).
        var phaseOneCost = [Double](repeating: 0, count: variableCount + rowCount)
        for index in variableCount..<(variableCount + rowCount) { phaseOneCost[index] = 1 }
        tableau.setCost(phaseOneCost)
        switch tableau.iterate(enteringLimit: variableCount + rowCount, pivotsLeft: &pivotsLeft,
                               optimalityTolerance: Self.relativeTolerance) {
        case .limit: return .iterationLimit
        case .unbounded: return .infeasible  // cannot happen: the phase-1 objective is bounded below by 0
        case .optimal: break
        }
        let scaleB = max(1, tableau.rightHandSideScale)
        if tableau.objectiveValue > Self.relativeTolerance * scaleB * Double(max(rowCount, 1)) { return .infeasible }
        tableau.driveOutArtificials(variableCount: variableCount)

        // Phase 2: the original costs, artificial columns barred from entering.
        var cost = objective
        cost.append(contentsOf: [Double](repeating: 0, count: rowCount))
        tableau.setCost(cost)
        let scaleC = max(1, objective.map(abs).max() ?? 0)
        switch tableau.iterate(enteringLimit: variableCount, pivotsLeft: &pivotsLeft,
                               optimalityTolerance: Self.relativeTolerance * scaleC) {
        case .limit: return .iterationLimit
        case .unbounded: return .unbounded
        case .optimal: break
        }
        var solution = [Double](repeating: 0, count: variableCount)
        for (row, variable) in tableau.basis.enumerated() where variable < variableCount {
            solution[variable] = max(0, tableau.rightHandSide(row))
        }
        let value = zip(objective, solution).reduce(0) { $0 + $1.0 * $1.1 }
        return .optimal(solution: solution, value: value)
    }
}

/// The dense simplex tableau: rows × (variables + artificials), the right-hand side, the reduced
/// costs and the basis. Row-major storage so that a pivot sweeps contiguous memory.
private struct SimplexTableau {
    let rowCount: Int
    let columnCount: Int
    /// Row r, column c at `entries[r * columnCount + c]`; the right-hand side is the last column.
    var entries: [Double]
    /// Reduced costs (columnCount − 1 entries) and, last, minus the objective value.
    var costRow: [Double]
    var basis: [Int]
    let rightHandSideScale: Double

    init(rows: [[Double]], rightHandSide: [Double], variableCount: Int) {
        rowCount = rows.count
        columnCount = variableCount + rows.count + 1
        entries = [Double](repeating: 0, count: rowCount * columnCount)
        basis = Array(variableCount..<(variableCount + rows.count))
        var largestB = 0.0
        for (r, row) in rows.enumerated() {
            // Scale the row to a largest entry of 1 and make its right-hand side non-negative, so the
            // artificial variables start feasible.
            let scale = max(row.map(abs).max() ?? 0, abs(rightHandSide[r]), 1e-300)
            let sign: Double = rightHandSide[r] < 0 ? -1 : 1
            let factor = sign / scale
            for (c, value) in row.enumerated() { entries[r * columnCount + c] = value * factor }
            entries[r * columnCount + variableCount + r] = 1
            entries[r * columnCount + columnCount - 1] = rightHandSide[r] * factor
            largestB = max(largestB, abs(rightHandSide[r] * factor))
        }
        rightHandSideScale = largestB
        costRow = [Double](repeating: 0, count: columnCount)
    }

    func rightHandSide(_ row: Int) -> Double { entries[row * columnCount + columnCount - 1] }
    var objectiveValue: Double { -costRow[columnCount - 1] }

    /// Reduced costs for `cost` (one per column but the right-hand side) under the current basis.
    mutating func setCost(_ cost: [Double]) {
        costRow = cost + [0]
        for (row, variable) in basis.enumerated() where cost[variable] != 0 {
            let weight = cost[variable]
            let base = row * columnCount
            for c in 0..<columnCount { costRow[c] -= weight * entries[base + c] }
        }
    }

    enum Status { case optimal, unbounded, limit }

    /// Pivots by Bland's rule until no column below `enteringLimit` has a negative reduced cost.
    mutating func iterate(enteringLimit: Int, pivotsLeft: inout Int, optimalityTolerance: Double) -> Status {
        while true {
            guard let entering = (0..<enteringLimit).first(where: { costRow[$0] < -optimalityTolerance }) else {
                return .optimal
            }
            // Ratio test; ties broken by the smallest basic variable index (Bland).
            var leaving: Int?
            var bestRatio = Double.infinity
            for row in 0..<rowCount {
                let a = entries[row * columnCount + entering]
                guard a > BoundedLinearProgram.pivotTolerance else { continue }
                let ratio = max(0, rightHandSide(row)) / a
                if let current = leaving {
                    let tie = abs(ratio - bestRatio) <= 1e-12 * max(1, abs(bestRatio))
                    if ratio < bestRatio && !tie || tie && basis[row] < basis[current] {
                        leaving = row
                        bestRatio = min(ratio, bestRatio)
                    }
                } else {
                    leaving = row
                    bestRatio = ratio
                }
            }
            guard let pivotRow = leaving else { return .unbounded }
            guard pivotsLeft > 0 else { return .limit }
            pivotsLeft -= 1
            pivot(row: pivotRow, column: entering)
        }
    }

    mutating func pivot(row pivotRow: Int, column: Int) {
        let base = pivotRow * columnCount
        let inverse = 1 / entries[base + column]
        for c in 0..<columnCount { entries[base + c] *= inverse }
        entries[base + column] = 1
        entries.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rowCount where row != pivotRow {
                let factor = buffer[row * columnCount + column]
                guard factor != 0 else { continue }
                let target = row * columnCount
                for c in 0..<columnCount { buffer[target + c] -= factor * buffer[base + c] }
                buffer[target + column] = 0
            }
        }
        let factor = costRow[column]
        if factor != 0 {
            for c in 0..<columnCount { costRow[c] -= factor * entries[base + c] }
            costRow[column] = 0
        }
        basis[pivotRow] = column
    }

    /// After phase 1, swaps each artificial variable still basic (at level zero) for an original
    /// column with a non-zero entry in its row; a row with none is redundant and stays as it is
    /// (its artificial is barred from entering again and has a zero right-hand side).
    mutating func driveOutArtificials(variableCount: Int) {
        for row in 0..<rowCount where basis[row] >= variableCount {
            let base = row * columnCount
            if let column = (0..<variableCount).first(where: { abs(entries[base + $0]) > BoundedLinearProgram.pivotTolerance }) {
                pivot(row: row, column: column)
            }
        }
    }
}

extension BoundedLinearProgram {
    /// min c'x subject to G x ≤ h with x free (no sign restriction), written in standard form with
    /// x = x⁺ − x⁻ and one slack per inequality. Returns x (not the split variables).
    static func minimizeFree(objective: [Double], inequalityRows: [[Double]], upperBounds: [Double]) -> Outcome {
        let count = objective.count, slackCount = inequalityRows.count
        var rows: [[Double]] = []
        rows.reserveCapacity(slackCount)
        for (index, row) in inequalityRows.enumerated() {
            var standard = row + row.map { -$0 }
            var slack = [Double](repeating: 0, count: slackCount)
            slack[index] = 1
            standard.append(contentsOf: slack)
            rows.append(standard)
        }
        let cost = objective + objective.map { -$0 } + [Double](repeating: 0, count: slackCount)
        let program = BoundedLinearProgram(objective: cost, constraintRows: rows, rightHandSide: upperBounds)
        switch program.solve() {
        case let .optimal(split, value):
            let x = (0..<count).map { split[$0] - split[count + $0] }
            return .optimal(solution: x, value: value)
        case let other:
            return other
        }
    }
}
