import Estimation
import Inference
import LinearAlgebra
import PanelData

/// One partition's rows made ready to sum, the same way in both passes of `quipu partial`: the
/// estimation sample as `ModelFrame` makes it on one machine (missing values, zero weights and the
/// nested fixed effect's singletons dropped, which are global singletons since its levels never
/// span partitions), the crossing fixed effect's dummies beside the regressors, everything
/// demeaned within the nested fixed effect (exact: one fixed effect takes one sweep) and scaled by
/// √w, as `LinearModel.fit` scales the demeaned design.
struct PartitionFrame {
    let model: PartialModel
    let source: String
    let sample: SampleAccounting
    let responseName: String
    let columnNames: [String]
    let designNotes: [String]
    /// The crossing fixed effect's levels present here, sorted: the dummy columns' order.
    let dummyLevels: [String]
    /// Rows per level of the nested and of the crossing fixed effect.
    let nestedLevelRows: [(label: String, rows: Int)]
    let crossingLevelRows: [(label: String, rows: Int)]
    /// Each row's cluster label, when the covariance is clustered.
    let clusterLabels: [String]?
    /// Whether every nested level's rows lie in one cluster; nil without both.
    let nestedInCluster: Bool?
    /// Each crossing level's one cluster, or nil when its rows here lie in several.
    let crossingClusters: [String: String?]
    /// Σw, weighted mean and Σw(v − mean)² of the response and each regressor, before demeaning.
    let centres: [(weight: Double, mean: Double, squares: Double)]
    /// √w times the demeaned [dummies | regressors], rows × (dummies + regressors).
    let design: Matrix
    /// √w times the demeaned response.
    let response: [Double]

    var rowCount: Int { response.count }

    init(table: consuming DataTable, model: PartialModel) throws(PartialError) {
        let source = table.source
        var labelColumns = [String: Column]()
        for name in [model.nestedFixedEffect, model.crossingFixedEffect, model.cluster].compactMap({ $0 }) {
            labelColumns[name] = table.column(named: name)
        }
        var carried = [String]()
        for name in [model.crossingFixedEffect, model.cluster].compactMap({ $0 }) where !carried.contains(name) { carried.append(name) }
        var frame: ModelFrame
        var options = ModelFrameOptions(weights: model.weights, clusters: carried, removeSingletons: !model.keepSingletons)
        // A partition may be empty, or lose every row, while the whole data do not.
        options.allowsEmptySample = true
        do {
            frame = try ModelFrame(table: table, formula: model.partitionFormula, options: options)
        } catch {
            throw PartialError(error.description)
        }
        let rows = frame.observationCount
        let sourceRows = frame.sourceRows
        func labels(_ name: String?) -> [String]? {
            guard let name, let column = labelColumns[name] else { return nil }
            return sourceRows.map { Self.label(column, row: $0) }
        }
        let weights = frame.weights
        self.model = model
        self.source = source
        self.sample = frame.sampleAccounting
        self.responseName = frame.responseName
        self.columnNames = frame.columnNames
        self.designNotes = frame.designNotes
        self.centres = ([frame.response] + (0..<frame.design.columns).map { frame.design.column($0) }).map { Self.centre($0, weights: weights) }
        let crossing = labels(model.crossingFixedEffect)
        let nested = labels(model.nestedFixedEffect)
        let clusters = labels(model.cluster)
        self.clusterLabels = clusters
        self.nestedLevelRows = nested.map(Self.levelRows) ?? []
        self.crossingLevelRows = crossing.map(Self.levelRows) ?? []
        self.dummyLevels = crossingLevelRows.map(\.label)
        if let nested, let clusters {
            var owner = [String: String]()
            var nestedInCluster = true
            for (level, cluster) in zip(nested, clusters) where owner.updateValue(cluster, forKey: level).map({ $0 != cluster }) ?? false {
                nestedInCluster = false
                break
            }
            self.nestedInCluster = nestedInCluster
        } else {
            self.nestedInCluster = nil
        }
        var crossingClusters = [String: String?]()
        if let crossing, let clusters {
            for (level, cluster) in zip(crossing, clusters) {
                if let existing = crossingClusters[level] {
                    if existing != cluster { crossingClusters[level] = .some(nil) }
                } else {
                    crossingClusters[level] = .some(cluster)
                }
            }
        }
        self.crossingClusters = crossingClusters

        // [dummies | regressors], then demeaned within the nested fixed effect.
        let dummyCount = dummyLevels.count
        var design = Matrix(rows: rows, columns: dummyCount + frame.design.columns)
        if let crossing {
            let position = Dictionary(uniqueKeysWithValues: dummyLevels.enumerated().map { ($1, $0) })
            for (row, level) in crossing.enumerated() {
                if let column = position[level] { design.values[column * rows + row] = 1 }
            }
        }
        for index in 0..<(frame.design.values.count) { design.values[dummyCount * rows + index] = frame.design.values[index] }
        var response = frame.response
        frame.design = Matrix(rows: 0, columns: 0)
        if !frame.fixedEffects.isEmpty, rows > 0 {
            let absorber = FixedEffectAbsorber(factors: frame.fixedEffects, weights: weights, tolerance: model.fixedEffectTolerance)
            do {
                _ = try absorber.absorbReporting(response: &response, responseName: frame.responseName, design: &design,
                                                 columnNames: dummyLevels.map { "\(model.crossingFixedEffect ?? "")=\($0)" } + frame.columnNames,
                                                 threads: 1)
            } catch {
                throw PartialError("\(source): \(error.description)")
            }
        }
        if let weights {
            let roots = weights.map { $0.squareRoot() }
            for row in 0..<rows { response[row] *= roots[row] }
            for column in 0..<design.columns {
                for row in 0..<rows { design.values[column * rows + row] *= roots[row] }
            }
        }
        self.design = design
        self.response = response
    }

    /// A value's label: the text, the integer, or the number's shortest exact decimal form.
    static func label(_ column: Column, row: Int) -> String {
        switch column {
        case .numeric(let values):
            let value = values[row]
            // Integral codes (firm 17, year 2001) read as integers in messages.
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .text(let text):
            let code = Int(text.codes[row])
            return code >= 0 && code < text.levels.count ? text.levels[code] : ""
        }
    }

    /// Each label's rows, sorted by label.
    private static func levelRows(_ labels: [String]) -> [(label: String, rows: Int)] {
        var counts = [String: Int]()
        for label in labels { counts[label, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0] ?? 0) }
    }

    /// Σw, the weighted mean and Σw(v − mean)² of `values`, by two passes as `LinearModel` forms
    /// its sums of squares.
    private static func centre(_ values: [Double], weights: [Double]?) -> (weight: Double, mean: Double, squares: Double) {
        var total = 0.0, weightSum = 0.0
        for (index, value) in values.enumerated() {
            let weight = weights?[index] ?? 1
            total += weight * value
            weightSum += weight
        }
        guard weightSum > 0 else { return (0, 0, 0) }
        let mean = total / weightSum
        var squares = 0.0
        for (index, value) in values.enumerated() {
            let deviation = value - mean
            squares += (weights?[index] ?? 1) * deviation * deviation
        }
        return (weightSum, mean, squares)
    }
}
