import Estimation
import Formula
import PanelData
import Testing

/// The multiple-estimation loop in the library (issue 20, point 5: it was the command line's):
/// fixest's order (sample, then the formula's variants), one model per pair, a failed fit kept
/// with its reason, and a text outcome refused before any fit.
@Suite struct MultipleEstimationTests {
    static let csv = """
        g,x,y1,y2,label
        a,1,2,1,p
        a,2,3,0,q
        a,3,5,2,r
        b,1,1,4,s
        b,2,1,4,t
        b,3,1,4,u

        """

    static func table() throws -> DataTable {
        let bytes = Array(csv.utf8)
        return try bytes.withUnsafeBytes { try CSVReader.read(bytes: $0, source: "t.csv", options: CSVReadOptions()) }
    }

    @Test func everyFormulaOnEverySampleInFixestsOrder() throws {
        let models = MultipleEstimation(formulas: try MultipleFormula.expand("c(y1, y2) ~ x"),
                                        split: SampleSplit(variable: "g", includesFullSample: true), sharedColumns: [])
        #expect(models.isMultiple)
        #expect(models.columns == ["g", "x", "y1", "y2"])
        // The "fit" counts the model's rows; a constant outcome fails.
        let results = try models.run(on: try Self.table()) { table, formula -> Int in
            guard case .numeric(let y)? = table.column(named: formula.response.name) else { throw EstimationError("no outcome") }
            guard Set(y).count > 1 else { throw EstimationError("\(formula.response.name) is constant") }
            return table.rowCount
        }
        #expect(results.map(\.splitValue) == [nil, nil, "a", "a", "b", "b"])
        #expect(results.map(\.dependent) == ["y1", "y2", "y1", "y2", "y1", "y2"])
        #expect(results[0].label == "Sample: full; " + models.formulas.variants[0].label)
        #expect(results[3].label == "Sample: g = a; " + models.formulas.variants[1].label)
        #expect(results.compactMap { try? $0.result.get() } == [6, 6, 3, 3])
        #expect(results[4].result.failureDescription == "y1 is constant")
        #expect(results[5].result.failureDescription == "y2 is constant")
    }

    @Test func aTextOutcomeIsRefusedBeforeAnyFit() throws {
        let models = MultipleEstimation(formulas: try MultipleFormula.expand("c(y1, label) ~ x"), split: nil, sharedColumns: [])
        var fits = 0
        #expect(throws: EstimationError.self) {
            _ = try models.run(on: try Self.table()) { _, _ in fits += 1 }
        }
        #expect(fits == 0)
    }
}

extension Result where Failure == MultipleEstimation.ModelFailure {
    /// The failure's message, nil for a fit.
    var failureDescription: String? {
        if case .failure(let failure) = self { return failure.description }
        return nil
    }
}
