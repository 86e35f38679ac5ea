import LinearAlgebra
import PanelData

/// `quipu partial`'s second pass over one partition: with the solution broadcast, each row's
/// design with every fixed effect absorbed, x̃ = z_x − z_dᵀΠ_x, and residual, û = (z_y − z_dᵀΠ_y) − x̃ᵀβ
/// (all scaled by √w; Frisch–Waugh–Lovell, so these are the rows of the single-machine fit), and
/// from them what the covariance needs: Σû² (iid), the meat Σ (x̃û)(x̃û)ᵀ (hetero), or each
/// cluster's score sum Σ_{i∈g} x̃ᵢûᵢ (CRV1), keyed by the cluster's value so that `combine` can add
/// up a cluster whose rows lie in several partitions.
public enum PartialScores {
    /// The records of partition `index` of `count` under `solution`.
    public static func records(table: consuming DataTable, solution: PartialRecords, index: Int, count: Int) throws(PartialError) -> PartialRecords {
        guard solution.stage == "solution", let identity = solution.meta("solution_id") else {
            throw PartialError("\(solution.source): not a solution (a '\(solution.stage ?? "unknown")' file); give --solution the file `quipu combine` wrote from the first-pass partials")
        }
        let model = try PartialModel(records: solution)
        let total = try PartialSet.part(solution, "count")
        guard count == total else {
            throw PartialError("--part \(index)/\(count): the solution \(solution.source) was combined from \(total) partitions")
        }
        let frame = try PartitionFrame(table: table, model: model)
        let expected = solution.records.first { $0.kind == "part_rows" && $0.key == "\(index)" }?.value ?? -1
        guard Double(frame.rowCount) == expected else {
            throw PartialError("\(frame.source): partition \(index) has \(frame.rowCount) observations, \(Int(expected)) in the first pass: the second pass must read the same partition")
        }
        let columns = solution.all("column").map(\.key)
        guard columns == frame.columnNames else {
            throw PartialError("\(frame.source): design columns [\(frame.columnNames.joined(separator: ", "))] differ from the solution's [\(columns.joined(separator: ", "))]")
        }
        let rows = frame.rowCount
        let dummyCount = frame.dummyLevels.count
        let localDummy = Dictionary(uniqueKeysWithValues: frame.dummyLevels.enumerated().map { ($1, $0) })
        let columnPosition = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        let coefficients = solution.all("coefficient")
        var projections = [String: [String: Double]]()
        for record in solution.all("projection") { projections[record.key, default: [:]][record.key2] = record.value }
        let dummies = solution.all("dummy").compactMap { record in localDummy[record.key].map { (local: $0, label: record.key) } }
        let design = frame.design
        /// A column of the design less its projection on the kept dummies present here.
        func absorbed(_ values: ArraySlice<Double>, target: String) -> [Double] {
            var result = Array(values)
            for dummy in dummies {
                let weight = projections[dummy.label]?[target] ?? 0
                guard weight != 0 else { continue }
                let offset = dummy.local * rows
                for row in 0..<rows { result[row] -= design.values[offset + row] * weight }
            }
            return result
        }
        var residuals = absorbed(frame.response[...], target: "y")
        var regressors = [[Double]]()
        for coefficient in coefficients {
            guard let column = columnPosition[coefficient.key] else {
                throw PartialError("\(solution.source): coefficient '\(coefficient.key)' is not a column of the design")
            }
            let offset = (dummyCount + column) * rows
            let values = absorbed(design.values[offset..<(offset + rows)], target: "x:" + coefficient.key)
            for row in 0..<rows { residuals[row] -= values[row] * coefficient.value }
            regressors.append(values)
        }
        var sumOfSquares = CompensatedSum(0)
        for residual in residuals { sumOfSquares.add(residual * residual) }
        var records = model.records + [
            .init("meta", "stage", "scores"), .init("meta", "solution_id", identity),
            .init("part", "index", "", Double(index)), .init("part", "count", "", Double(count)),
            .init("statistic", "ssr", "", sumOfSquares.value),
        ]
        let names = coefficients.map(\.key)
        var scores = Matrix(rows: rows, columns: names.count)
        for (column, values) in regressors.enumerated() {
            for row in 0..<rows { scores.values[column * rows + row] = values[row] * residuals[row] }
        }
        switch model.covariance {
        case .iid:
            break
        case .hetero:
            let meat = rows > 0 ? scores.crossProduct() : Matrix(rows: names.count, columns: names.count)
            for column in 0..<names.count {
                for row in 0...column { records.append(.init("meat", names[row], names[column], meat[row, column])) }
            }
        case .cluster:
            guard let labels = frame.clusterLabels else { break }
            var slot = [String: Int](), order = [String]()
            for label in labels where slot[label] == nil {
                slot[label] = order.count
                order.append(label)
            }
            var sums = Matrix(rows: order.count, columns: names.count)
            for column in 0..<names.count {
                for row in 0..<rows { sums.values[column * order.count + (slot[labels[row]] ?? 0)] += scores.values[column * rows + row] }
            }
            // Without coefficients there are no scores, but the clusters are still counted.
            if names.isEmpty { records += order.map { .init("cluster", $0) } }
            for (position, label) in order.enumerated() {
                for (column, name) in names.enumerated() { records.append(.init("score", label, name, sums[position, column])) }
            }
        }
        return PartialRecords(records: records)
    }
}
