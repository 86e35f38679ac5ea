import Estimation
import LinearAlgebra
import PanelData

/// `quipu partial`'s first pass over one partition (docs/scaling.md section 5.1, step 2): the
/// cross-products of √w·[dummies | regressors | response] after the nested fixed effect is
/// absorbed, with what the combination needs to reproduce the single-machine fit's sample and
/// degrees of freedom: the drops by reason, the rows per fixed-effect level (to find crossing
/// singletons and refuse a nested fixed effect split across partitions), whether the fixed effects
/// are nested in the cluster variable, and the raw moments of each variable for R².
public enum PartialMoments {
    /// The records of partition `index` of `count`.
    public static func records(table: consuming DataTable, model: PartialModel, index: Int, count: Int) throws(PartialError) -> PartialRecords {
        let frame = try PartitionFrame(table: table, model: model)
        var records = model.records + [.init("meta", "stage", "moments"), .init("part", "index", "", Double(index)), .init("part", "count", "", Double(count))]
        records += sampleRecords(frame.sample)
        records.append(.init("response", frame.responseName))
        records += frame.columnNames.enumerated().map { .init("column", $1, "", Double($0)) }
        records += frame.designNotes.map { .init("note", $0) }
        records += frame.nestedLevelRows.map { .init("nested_level", $0.label, "", Double($0.rows)) }
        records += frame.crossingLevelRows.map { .init("crossing_level", $0.label, "", Double($0.rows)) }
        if let nested = frame.nestedInCluster { records.append(.init("statistic", "nested_in_cluster", "", nested ? 1 : 0)) }
        for level in frame.crossingClusters.keys.sorted() {
            let cluster = frame.crossingClusters[level] ?? nil
            records.append(.init("crossing_cluster", level, cluster ?? "", cluster == nil ? 0 : 1))
        }
        let variables = ["y"] + frame.columnNames.map { "x:" + $0 }
        for (name, centre) in zip(variables, frame.centres) {
            records += [.init("centre", name, "weight", centre.weight), .init("centre", name, "mean", centre.mean),
                        .init("centre", name, "squares", centre.squares)]
        }
        // The upper triangle of [Z | y]ᵀ[Z | y], one dsyrk.
        let terms = frame.dummyLevels.map { "d:" + $0 } + frame.columnNames.map { "x:" + $0 } + ["y"]
        let rows = frame.rowCount
        var full = frame.design
        full = Matrix(rows: rows, columns: terms.count, values: full.values + frame.response)
        let crossProduct = rows > 0 ? full.crossProduct() : Matrix(rows: terms.count, columns: terms.count)
        for column in 0..<terms.count {
            for row in 0...column { records.append(.init("moment", terms[row], terms[column], crossProduct[row, column])) }
        }
        return PartialRecords(records: records)
    }

    /// The sample's accounting as records (`sample`, and `sample_transform` by reason).
    static func sampleRecords(_ sample: SampleAccounting) -> [PartialRecords.Record] {
        [
            .init("sample", "rows_read", "", Double(sample.rowsRead)), .init("sample", "rows_used", "", Double(sample.rowsUsed)),
            .init("sample", "missing", "", Double(sample.missing)), .init("sample", "non_finite", "", Double(sample.nonFinite)),
            .init("sample", "zero_weight", "", Double(sample.zeroWeight)), .init("sample", "singletons", "", Double(sample.singletons)),
        ] + sample.undefinedTransforms.map { .init("sample_transform", $0.reason, "", Double($0.rows)) }
    }

    /// The accounting summed over `partials`' records, transforms' reasons in order of first appearance.
    static func summedSample(_ partials: [PartialRecords]) -> SampleAccounting {
        func total(_ key: String) -> Int {
            partials.reduce(0) { sum, partial in sum + Int(partial.records.first { $0.kind == "sample" && $0.key == key }?.value ?? 0) }
        }
        var transforms = [(reason: String, rows: Int)]()
        for partial in partials {
            for record in partial.all("sample_transform") {
                if let position = transforms.firstIndex(where: { $0.reason == record.key }) {
                    transforms[position].rows += Int(record.value)
                } else {
                    transforms.append((record.key, Int(record.value)))
                }
            }
        }
        return SampleAccounting(rowsRead: total("rows_read"), rowsUsed: total("rows_used"), missing: total("missing"), nonFinite: total("non_finite"),
                                undefinedTransforms: transforms, zeroWeight: total("zero_weight"), singletons: total("singletons"))
    }
}
