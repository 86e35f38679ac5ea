// A Cholesky factor of the reduced fixed-effect matrix S in envelope ("skyline") storage, used as
// the conjugate-gradient preconditioner when it is cheap enough.
//
// Why: the graphs on which iterative demeaning struggles are long chains (workers who move only
// among neighbouring firms): the number of CG steps with a diagonal preconditioner grows with the
// chain's length: about 550 at 10^6 rows of fixest's difficult design, and a 10^7-row run had not
// finished after minutes.
// The same chains have a narrow profile once the levels are numbered along them, by reverse
// Cuthill–McKee (George & Liu 1981, "Computer Solution of Large Sparse Positive Definite
// Systems", ch. 4): S then factors exactly at a cost linear in its size, and CG with the factor
// converges in a handful of steps. Well-connected graphs (a wide profile) are the ones where the
// diagonal preconditioner converges fast; there the factor is skipped (`init` returns nil).
//
// Levels adjacent to a large share of the others (the year of a worker-firm-year panel) would
// make every breadth-first level wide; they are numbered last, as full rows at the bottom.
// When those full rows would exceed the budget (a thousand years beside 625,000 firms at 10^8
// rows: 6·10^8 entries, and 3·10^14 multiply-adds between the full rows), the hubs are decoupled
// instead: the factor is exact on the other levels and keeps only the hubs' diagonal, so the
// preconditioner is blockdiag(S_rest, diag(S_hubs)). M⁻¹S then differs from the identity by a
// term of rank at most twice the hub count, and much less in effect when the hubs (years) are
// spread evenly over the rest, so CG still needs few steps; and the factor costs what the
// two-factor chain costs.
// S is singular (one null direction per connected component, and more with three factors): a
// pivot that cancels to rounding level marks a null direction, whose row and column are dropped,
// so the factor preconditions on the range of S, where CG works.

/// A Cholesky factor L Lᵀ = P S Pᵀ in envelope storage, with null pivots dropped.
struct EnvelopeCholesky: Sendable {
    /// The original index of each position.
    let order: [Int32]
    /// The position of each original index.
    let position: [Int32]
    /// Row i (in positions) stores columns `first[i]...i` at `start[i]..<start[i + 1]`.
    let first: [Int]
    let start: [Int]
    /// The factor's entries, row by row.
    private(set) var values: [Double]
    /// Whether each position's pivot vanished (a null direction of S).
    private(set) var isNull: [Bool]
    /// The first hub position when the hubs are decoupled (diagonal only), else `size`.
    let decoupledFrom: Int

    /// Factors the system's S, or returns nil when its envelope exceeds `entryBudget` entries.
    init?(system: ReducedFixedEffectSystem, entryBudget: Int) {
        let size = system.size
        guard size > 0 else { return nil }
        let (order, position, hubCount) = Self.ordering(system)
        // Envelope: each row reaches back to its earliest neighbour in the ordering.
        var first = (0..<size).map { $0 }
        let width = system.kept.count
        let levels = system.eliminatedTotals.count
        var levelLowest = [Int](repeating: 0, count: levels)
        for level in 0..<levels {
            let cells = system.cellStart[level]..<system.cellStart[level + 1]
            var lowest = Int.max
            for cell in cells {
                for slot in 0..<width { lowest = min(lowest, Int(position[Int(system.cellCodes[cell * width + slot])])) }
            }
            levelLowest[level] = lowest == Int.max ? 0 : lowest
            for cell in cells {
                for slot in 0..<width {
                    let row = Int(position[Int(system.cellCodes[cell * width + slot])])
                    first[row] = min(first[row], lowest)
                }
            }
        }
        var (start, work) = Self.cost(first: first)
        var decoupledFrom = size
        if start[size] > entryBudget || work > 64 * entryBudget, hubCount > 0 {
            decoupledFrom = size - hubCount
            for row in decoupledFrom..<size { first[row] = row }
            (start, work) = Self.cost(first: first)
        }
        guard start[size] <= entryBudget, work <= 64 * entryBudget else { return nil }
        self.decoupledFrom = decoupledFrom
        self.order = order
        self.position = position
        self.first = first
        self.start = start
        self.values = [Double](repeating: 0, count: start[size])
        self.isNull = [Bool](repeating: false, count: size)
        assemble(system, levelOrder: Self.countingOrder(levelLowest, bound: size))
        factor()
    }

    /// The envelope's row starts and the factorization's multiply-adds (entry (i, j) takes the
    /// overlap of rows i and j).
    private static func cost(first: [Int]) -> (start: [Int], work: Int) {
        let size = first.count
        var start = [Int](repeating: 0, count: size + 1)
        for row in 0..<size { start[row + 1] = start[row] + row - first[row] + 1 }
        var work = 0
        for row in 0..<size {
            for column in first[row]..<row { work += column - max(first[row], first[column]) }
        }
        return (start, work)
    }

    /// Reverse Cuthill–McKee over the levels S connects (two levels are neighbours when they
    /// share an eliminated level), from a pseudo-peripheral start in each component; hub levels
    /// go last.
    private static func ordering(_ system: ReducedFixedEffectSystem) -> (order: [Int32], position: [Int32], hubCount: Int) {
        let size = system.size
        let width = system.kept.count
        let levels = system.eliminatedTotals.count
        // The eliminated levels each kept level appears in (duplicates allowed), as CSR.
        var degree = [Int](repeating: 0, count: size + 1)
        for code in system.cellCodes { degree[Int(code) + 1] += 1 }
        for index in 0..<size { degree[index + 1] += degree[index] }
        var incidence = [Int32](repeating: 0, count: degree[size])
        var fill = degree
        for level in 0..<levels {
            for cell in system.cellStart[level]..<system.cellStart[level + 1] {
                for slot in 0..<width {
                    let code = Int(system.cellCodes[cell * width + slot])
                    incidence[fill[code]] = Int32(level)
                    fill[code] += 1
                }
            }
        }
        let mean = Double(degree[size]) / Double(size)
        let isHub = (0..<size).map { Double(degree[$0 + 1] - degree[$0]) > max(64, 10 * mean) }
        var visitedLevel = [Int32](repeating: -1, count: levels)
        var mark = [Int32](repeating: -1, count: size)
        var queue = [Int32]()
        queue.reserveCapacity(size)
        // Breadth-first search from `root`, stamping with `stamp`; returns the last index reached.
        func search(from root: Int, stamp: Int32, into output: inout [Int32]) -> Int {
            let begin = output.count
            output.append(Int32(root))
            mark[root] = stamp
            var head = begin
            while head < output.count {
                let node = Int(output[head])
                head += 1
                for entry in degree[node]..<degree[node + 1] {
                    let level = Int(incidence[entry])
                    guard visitedLevel[level] != stamp else { continue }
                    visitedLevel[level] = stamp
                    for cell in system.cellStart[level]..<system.cellStart[level + 1] {
                        for slot in 0..<width {
                            let next = Int(system.cellCodes[cell * width + slot])
                            guard !isHub[next], mark[next] != stamp else { continue }
                            mark[next] = stamp
                            output.append(Int32(next))
                        }
                    }
                }
            }
            return Int(output[output.count - 1])
        }
        var stamp: Int32 = 0
        var scratch = [Int32]()
        for root in 0..<size where !isHub[root] && mark[root] < 0 {
            scratch.removeAll(keepingCapacity: true)
            stamp += 1
            let far = search(from: root, stamp: stamp, into: &scratch)
            // Reset the probe's marks to "unvisited" for the real pass from the far end.
            for node in scratch { mark[Int(node)] = -1 }
            stamp += 1
            _ = search(from: far, stamp: stamp, into: &queue)
        }
        var order = [Int32](queue.reversed())
        let nonHubs = order.count
        for index in 0..<size where isHub[index] { order.append(Int32(index)) }
        var position = [Int32](repeating: 0, count: size)
        for (slot, index) in order.enumerated() { position[Int(index)] = Int32(slot) }
        return (order, position, size - nonHubs)
    }

    /// The indices 0..<keys.count sorted by key (all keys in 0..<bound), stably.
    private static func countingOrder(_ keys: [Int], bound: Int) -> [Int] {
        var start = [Int](repeating: 0, count: bound + 1)
        for key in keys { start[key + 1] += 1 }
        for key in 0..<bound { start[key + 1] += start[key] }
        var order = [Int](repeating: 0, count: keys.count)
        for (index, key) in keys.enumerated() {
            order[start[key]] = index
            start[key] += 1
        }
        return order
    }

    /// Writes S = Dᵣᵀ W Dᵣ − Σ_l w_l w_lᵀ / W_l into the envelope (lower triangle, positions).
    /// Eliminated levels are visited in the order of their first position, so that successive
    /// updates fall on nearby columns (the level codes themselves follow the data's order).
    private mutating func assemble(_ system: ReducedFixedEffectSystem, levelOrder: [Int]) {
        let width = system.kept.count
        var within = [Double](repeating: 0, count: system.size)
        var touched = [Int]()
        values.withUnsafeMutableBufferPointer { values in
            for level in levelOrder where system.eliminatedTotals[level] > 0 {
                touched.removeAll(keepingCapacity: true)
                for cell in system.cellStart[level]..<system.cellStart[level + 1] {
                    for slot in 0..<width {
                        let row = Int(position[Int(system.cellCodes[cell * width + slot])])
                        if within[row] == 0 { touched.append(row) }
                        within[row] += system.cellWeights[cell]
                        // Dᵣᵀ W Dᵣ is diagonal within a factor but a cross-tabulation between two
                        // kept factors (firm × year): each cell adds its weight there.
                        for other in 0..<slot {
                            let column = Int(position[Int(system.cellCodes[cell * width + other])])
                            let (high, low) = row > column ? (row, column) : (column, row)
                            guard high < decoupledFrom else { continue }
                            values[start[high] - first[high] + low] += system.cellWeights[cell]
                        }
                    }
                }
                touched.sort()
                let inverseTotal = 1 / system.eliminatedTotals[level]
                for (rank, a) in touched.enumerated() {
                    let base = start[a] - first[a]
                    let scaled = within[a] * inverseTotal
                    values[base + a] += within[a]
                    guard a < decoupledFrom else {
                        values[base + a] -= scaled * within[a]
                        continue
                    }
                    for b in touched[0...rank] { values[base + b] -= scaled * within[b] }
                }
                for row in touched { within[row] = 0 }
            }
        }
    }

    /// In-place envelope Cholesky (row by row), dropping pivots that cancel to rounding level.
    private mutating func factor() {
        let size = first.count
        values.withUnsafeMutableBufferPointer { l in
            for i in 0..<size {
                let rowBase = start[i] - first[i]
                let original = l[rowBase + i]
                for j in first[i]..<i {
                    let columnBase = start[j] - first[j]
                    if isNull[j] {
                        l[rowBase + j] = 0
                        continue
                    }
                    var sum = l[rowBase + j]
                    let lower = max(first[i], first[j])
                    for k in lower..<j { sum -= l[rowBase + k] * l[columnBase + k] }
                    l[rowBase + j] = sum / l[columnBase + j]
                }
                var pivot = original
                for k in first[i]..<i { pivot -= l[rowBase + k] * l[rowBase + k] }
                if !(pivot > 1e-9 * abs(original)) {
                    isNull[i] = true
                    for k in first[i]..<i { l[rowBase + k] = 0 }
                    l[rowBase + i] = 1
                } else {
                    l[rowBase + i] = pivot.squareRoot()
                }
            }
        }
    }

    /// z = M⁻¹ r with M = L Lᵀ on the factored positions and `diagonal` on the dropped ones, which
    /// decouple from the rest. A truly null direction carries no residual, so its part does not
    /// matter; a direction dropped by mistake (a pivot lost to rounding that was not null) stays
    /// reachable by CG through the diagonal, instead of invisible to it.
    func solve(_ residual: UnsafeBufferPointer<Double>, into z: UnsafeMutableBufferPointer<Double>, inverseDiagonal: [Double]) {
        let size = first.count
        var work = [Double](repeating: 0, count: size)
        values.withUnsafeBufferPointer { l in
            work.withUnsafeMutableBufferPointer { y in
                for i in 0..<size { y[i] = residual[Int(order[i])] }
                for i in 0..<size {
                    guard !isNull[i] else { y[i] = 0; continue }
                    let rowBase = start[i] - first[i]
                    var sum = y[i]
                    for k in first[i]..<i { sum -= l[rowBase + k] * y[k] }
                    y[i] = sum / l[rowBase + i]
                }
                for i in stride(from: size - 1, through: 0, by: -1) {
                    guard !isNull[i] else { y[i] = 0; continue }
                    let rowBase = start[i] - first[i]
                    y[i] /= l[rowBase + i]
                    let value = y[i]
                    for k in first[i]..<i { y[k] -= l[rowBase + k] * value }
                }
                for i in 0..<size {
                    let index = Int(order[i])
                    z[index] = isNull[i] ? residual[index] * inverseDiagonal[index] : y[i]
                }
            }
        }
    }
}
