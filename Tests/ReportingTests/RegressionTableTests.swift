import Foundation
import Primitives
import Testing
@testable import Reporting

/// The pieces of `quipu table` below the command line: reading results back, significance
/// marks, selection and renaming, number formats and the row layout.
@Suite struct RegressionTableTests {
    static var feols: [String: Any] { [
        "command": "feols", "dependent": "y", "nobs": 100.0, "vcov": "cluster:firm", "n_clusters": 10.0,
        "fixed_effects": [["name": "firm", "levels": 10.0], ["name": "year", "levels": 5.0]], "r2": 0.5, "r2_within": 0.1,
        "coefficients": [["term": "x", "estimate": 0.123456, "std_error": 0.05, "p_value": 0.014, "conf_low": 0.02, "conf_high": 0.22],
                         ["term": "z", "estimate": -2.0, "std_error": 3.0, "p_value": NSNull()]],
    ] }

    static var did: [String: Any] { [
        "command": "did", "dependent": "y", "unit": "firm", "time": "year", "nobs": 500.0, "vcov": "cluster:firm",
        "estimators": ["cs", "twfe"],
        "inference": [["estimator": "cs", "nobs": 480.0, "n_clusters": 96.0], ["estimator": "twfe", "nobs": 500.0, "n_clusters": 100.0]],
        "aggregates": [
            ["estimator": "cs", "type": "simple", "label": "att", "estimate": 0.2, "std_error": 0.1, "p_value": 0.04],
            ["estimator": "cs", "type": "dynamic", "label": "e1", "estimate": 0.3, "std_error": 0.1, "p_value": 0.003],
            ["estimator": "cs", "type": "dynamic", "label": "e-2", "estimate": 0.01, "std_error": 0.1, "p_value": 0.9],
            ["estimator": "twfe", "type": "simple", "label": "att", "estimate": 0.15, "std_error": 0.05, "p_value": 0.002],
            ["estimator": "twfe", "type": "dynamic", "label": "e-3", "estimate": -0.1, "std_error": 0.1, "p_value": 0.3],
        ],
        "combinations": [["estimator": "cs", "expression": "(e0 + e1)/2", "estimate": 0.25, "std_error": 0.1]],
    ] }

    @Test func readsARegression() throws {
        let models = try ModelSummary.models(fromJSON: Self.feols, source: "a.json")
        let model = try #require(models.first)
        #expect(models.count == 1 && model.estimator == "OLS" && model.dependent == "y")
        #expect(model.fixedEffects == ["firm", "year"] && model.observations == 100 && model.clusterCounts == [10])
        #expect(model.coefficients.map(\.term) == ["x", "z"] && model.coefficients[1].pValue == nil)
        #expect(model.vcovDescription == "Clustered (firm)")
    }

    @Test func readsDiDAsAColumnPerEstimator() throws {
        let models = try ModelSummary.models(fromJSON: Self.did, source: "did.json")
        #expect(models.map(\.estimator) == ["Callaway–Sant'Anna", "TWFE"])
        #expect(models[0].fixedEffects.isEmpty && models[1].fixedEffects == ["firm", "year"])
        #expect(models[0].observations == 480 && models[0].clusterCounts == [96])
        #expect(models[0].coefficients.map(\.term) == ["ATT", "e1", "e-2", "(e0 + e1)/2"])
        #expect(models[0].coefficients.map(\.shownByDefault) == [true, false, false, false])
    }

    @Test func refusesWhatIsNotAResult() {
        #expect(throws: TableInputError.self) { try ModelSummary.models(fromJSON: ["command": "describe"], source: "d.json") }
        #expect(throws: TableInputError.self) { try ModelSummary.models(fromJSON: [Any](), source: "d.json") }
        #expect(throws: TableInputError.self) { try ModelSummary.models(fromJSON: "text", source: "d.json") }
        let noEstimate: [String: Any] = ["coefficients": [["term": "x", "estimate": true]]]
        #expect(throws: TableInputError.self) { try ModelSummary.models(fromJSON: noEstimate, source: "d.json") }
    }

    @Test func readsNumbersExactly() throws {
        let text = #"{"a": 0.08434459118785965, "b": [1, true, null, "x"], "c": {"d": -1.5e-300}}"#
        let parsed = try #require(try JSONReader.parse(Data(text.utf8)) as? [String: Any])
        #expect(parsed["a"] as? Double == 0.08434459118785965)
        let list = try #require(parsed["b"] as? [Any])
        #expect(list[0] as? Double == 1 && list[1] as? Bool == true && list[2] is NSNull && list[3] as? String == "x")
        #expect(ModelSummary.number(list[1]) == nil)
        #expect((parsed["c"] as? [String: Any])?["d"] as? Double == -1.5e-300)
    }

    @Test func starsParseAndMark() throws {
        #expect(try SignificanceStars(parsing: "0.1,0.01,0.05") == .standard)
        let r = try SignificanceStars(parsing: "***=0.001, **=0.01, *=0.05, .=0.1")
        #expect(r.mark(0.0005) == "***" && r.mark(0.001) == "**" && r.mark(0.07) == "." && r.mark(0.5) == "" && r.mark(nil) == "")
        #expect(SignificanceStars.standard.legend == "*** p < 0.01, ** p < 0.05, * p < 0.1")
        #expect(try SignificanceStars(parsing: "none").levels.isEmpty)
        for bad in ["0", "1.5", "a", "0.05,0.05", "**=0.01,**=0.05", "=0.1"] {
            #expect(throws: TableInputError.self, "\(bad)") { try SignificanceStars(parsing: bad) }
        }
    }

    @Test func tableDigitsKeepTrailingZeros() {
        #expect(NumberFormat.tableDigits(-0.25231487, digits: 4) == "-0.2523")
        #expect(NumberFormat.tableDigits(0.25, digits: 4) == "0.2500")
        #expect(NumberFormat.tableDigits(0.99996, digits: 4) == "1.000")
        #expect(NumberFormat.tableDigits(12345.6, digits: 4) == "12346")
        #expect(NumberFormat.tableDigits(-0.00001, digits: 3) == "-1.00e-05")
        #expect(NumberFormat.tableDigits(-0.00004, digits: 1) == "-4e-05")
        #expect(NumberFormat.tableDigits(0, digits: 3) == "0.00")
        #expect(NumberFormat.grouped(2500) == "2,500" && NumberFormat.grouped(999) == "999" && NumberFormat.grouped(1234567) == "1,234,567")
    }

    @Test func selectionRenamesThenFilters() throws {
        let models = try ModelSummary.models(fromJSON: Self.feols, source: "a.json") + ModelSummary.models(fromJSON: Self.did, source: "d.json")
        var options = RegressionTable.Options()
        options.selection = try CoefficientSelection(keep: ["^x$", "^ATT$", "^e"], drop: ["^e-"], rename: ["z=x2", "firm=Firm"])
        let table = try RegressionTable(models: models, options: options)
        #expect(table.terms == ["x", "ATT", "e1"])
        #expect(table.fixedEffectRows.map(\.label) == ["Firm", "year"])
        #expect(table.models[0].vcovDescription == "Clustered (Firm)")
        // Event-time rows are ordered by event time even when a later column brings an earlier one.
        options.selection = try CoefficientSelection(keep: ["^e"], drop: [], rename: [])
        #expect(try RegressionTable(models: models, options: options).terms == ["e-3", "e-2", "e1"])
        #expect(throws: TableInputError.self) { try CoefficientSelection(keep: ["("], drop: [], rename: []) }
        #expect(throws: TableInputError.self) { try CoefficientSelection(keep: [], drop: [], rename: ["a=b", "a=c"]) }
        #expect(throws: TableInputError.self) {
            try RegressionTable(models: models, options: { var o = RegressionTable.Options(); o.selection = try CoefficientSelection(keep: [], drop: [], rename: ["z=x"]); return o }())
        }
    }

    @Test func rowsHoldTheCellsEachFormatDraws() throws {
        let models = try ModelSummary.models(fromJSON: Self.feols, source: "a.json") + ModelSummary.models(fromJSON: Self.did, source: "d.json")
        let table = try RegressionTable(models: models, options: RegressionTable.Options())
        let rows = table.coefficientRows
        #expect(rows[0].cells[0] == RegressionTable.Cell("0.1235", stars: "**"))
        #expect(rows[1].cells[0].text == "(0.05000)" && rows[1].cells[1].text == "")
        #expect(rows[2].cells[0] == RegressionTable.Cell("-2.000"))
        #expect(table.headerRows.map(\.label) == ["Dependent Var.:", "Estimator:"])
        let fits = Dictionary(uniqueKeysWithValues: table.fitRows.map { ($0.label, $0.cells.map(\.text)) })
        #expect(fits["Observations"] == ["100", "480", "500"] && fits["Clusters"] == ["10", "96", "100"])
        #expect(fits["R2"] == ["0.50000", "", ""] && fits["Pseudo R2"] == nil)
        var interval = RegressionTable.Options()
        interval.statistic = .confidenceInterval
        let withIntervals = try RegressionTable(models: models, options: interval)
        #expect(withIntervals.coefficientRows[1].cells[0].text == "[0.02000; 0.2200]")
        #expect(withIntervals.statisticNote == "Confidence intervals in brackets.")
    }
}
