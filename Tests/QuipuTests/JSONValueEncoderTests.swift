import Foundation
import Primitives
import Testing

/// The one JSON writer (issue 20, points 3 and 4): `JSONValueEncoder` turns `Encodable` records
/// into `JSONValue` in the order their keys are encoded, so records serialize exactly as the
/// hand-built writers did; the simulation's truth file goes through the same writer.
@Suite struct JSONValueEncoderTests {
    private struct Nested: Encodable {
        let zeta = 1
        let alpha: [Double] = [0.1, .nan, 3]
        let missing: Int? = nil
        let verbatim = JSONValue.decimal("1.500")
    }

    @Test func keysKeepTheirEncodedOrderAndNumbersTheirPrecision() throws {
        let value = try JSONValueEncoder().encode(Nested())
        // Synthesized Encodable leaves an absent optional out (encodeIfPresent); NaN is null.
        #expect(value.compact() == #"{"zeta":1,"alpha":[0.1,null,3.0],"verbatim":1.500}"#)
        let precise = try JSONValueEncoder().encode([0.08434459118785965])
        #expect(precise.serialized() == "[0.08434459118785965]")
    }

    @Test func recordsWriteAbsentNumbersAsNull() {
        let row = CoefficientRecord(term: "x", inference: InferenceRecord(estimate: 1.25, standardError: nil, statistic: .infinity,
                                                                         pValue: 0.5, confidenceLow: nil, confidenceHigh: 2))
        #expect(row.json.compact() == #"{"term":"x","estimate":1.25,"std_error":null,"statistic":null,"p_value":0.5,"conf_low":null,"conf_high":2.0}"#)
        let test = WaldTestRecord(statistic: 2, numeratorDegrees: 3, denominatorDegrees: nil, pValue: 0.1)
        #expect(test.json.compact() == #"{"statistic":2.0,"df1":3,"df2":null,"p_value":0.1}"#)
    }

    /// The records give the bytes the hand-built writers gave (the shapes are copied from them).
    @Test func recordsMatchTheHandBuiltShapes() {
        let subset = SubsetRecord(expression: "year >= 2005", rowsBefore: 10, rowsKept: 7, removed: 3, removedFalse: 2, removedMissing: 1)
        let handBuilt = JSONValue.object([
            ("expression", .string("year >= 2005")), ("rows_before", .integer(10)), ("rows_kept", .integer(7)),
            ("removed", .integer(3)), ("removed_false", .integer(2)), ("removed_na", .integer(1)),
        ])
        #expect(subset.json.serialized() == handBuilt.serialized())
        let drops = DropRecord(subset: 0, missing: 2, nonFinite: 0, undefinedTransforms: [.init(reason: "log(x <= 0)", rows: 4)],
                               singletons: 1, zeroWeight: 0, modelDrops: [("separated", .integer(5))], collinear: ["z"])
        #expect(drops.json.compact() == #"{"subset":0,"missing":2,"non_finite":0,"undefined_transform":4,"undefined_transforms":[{"reason":"log(x <= 0)","rows":4}],"singletons":1,"zero_weight":0,"separated":5,"collinear":["z"]}"#)
        let timings = TimingsRecord(stages: [(name: "read", seconds: 0.5)], counts: [("models", .integer(2))], totalSeconds: 1, peakMemoryBytes: 8)
        #expect(timings.json.compact() == #"{"timings":{"read_seconds":0.5,"models":2,"total_seconds":1.0,"peak_memory_bytes":8},"schema_version":"\#(OutputContract.schemaVersion)"}"#)
        #expect(CohortSizeRecord(cohort: nil, units: 3).json.compact() == #"{"cohort":"never","units":3}"#)
    }

    @Test func versionedPutsTheSchemaVersionFirstOnce() {
        let document = JSONValue.object([("command", .string("feols"))]).versioned()
        #expect(document.compact() == #"{"schema_version":"\#(OutputContract.schemaVersion)","command":"feols"}"#)
        #expect(document.versioned() == document)
    }

    @Test func theExpandedLayoutPutsEveryContainerOnItsOwnLines() {
        let value = JSONValue.object([("a", .array([.integer(1)])), ("b", .object([]))])
        #expect(value.serialized(layout: .expanded) == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
        #expect(value.serialized() == "{\n  \"a\": [1],\n  \"b\": {}\n}")
    }

    /// did's effect-set entries (issue 20: built from records, each concept encoded once): an
    /// aggregate, a cell and a pre-trend test in the key order and null rules of schema 1.0's
    /// hand-built writers, with what 1.1 adds (percentages, a test's terms) after them.
    @Test func didRecordsKeepTheContractsKeyOrder() {
        let inference = InferenceRecord(estimate: 0.5, standardError: 0.25, statistic: 2, pValue: .nan, confidenceLow: 0, confidenceHigh: 1)
        let aggregate = AggregateRecord(estimator: "twfe", type: "dynamic", label: "e2", overall: false, by: ByRecord(eventTime: 2),
                                        inference: inference, treatedUnits: 6, cohortCount: 1,
                                        uniformBand: UniformBandRecord(low: -0.5, high: 1.5),
                                        percentChange: PercentChangeRecord(logPoints: 0, low: 0, high: 0))
        #expect(aggregate.json.compact() == #"{"estimator":"twfe","type":"dynamic","label":"e2","overall":false,"by":[{"event_time":2}],"#
                + #""estimate":0.5,"std_error":0.25,"statistic":2.0,"p_value":null,"conf_low":0.0,"conf_high":1.0,"n_treated":6,"n_cohorts":1,"#
                + #""uniform_low":-0.5,"uniform_high":1.5,"percent_change":0.0,"percent_conf_low":0.0,"percent_conf_high":0.0}"#)
        let overall = AggregateRecord(estimator: "cs", type: "simple", label: "att", overall: true, by: nil, inference: inference,
                                      treatedUnits: 6, cohortCount: 1, uniformBand: nil, percentChange: nil)
        #expect(overall.json.compact().contains(#""overall":true,"by":[],"estimate""#) && !overall.json.compact().contains("uniform"))
        let cell = CellRecord(estimator: "sunab", group: 2004, time: nil, eventTime: -1, estimate: 1, standardError: .nan,
                              confidenceLow: .nan, confidenceHigh: .nan, treatedUnits: 3, controlUnits: nil, uniformBand: nil)
        #expect(cell.json.compact() == #"{"estimator":"sunab","group":2004,"event_time":-1,"estimate":1.0,"std_error":null,"conf_low":null,"conf_high":null,"n_treated":3,"n_control":null}"#)
        let test = PretrendTestRecord(estimator: "twfe", test: WaldTestRecord(statistic: 1.5, numeratorDegrees: 2, denominatorDegrees: 9,
                                                                           pValue: 0.25, terms: ["e::-3", "e::-2"]), description: "leads")
        #expect(test.json.compact() == #"{"estimator":"twfe","statistic":1.5,"df1":2,"df2":9.0,"p_value":0.25,"terms":["e::-3","e::-2"],"description":"leads"}"#)
        let percent = PercentChangeRecord(logPoints: log(1.5), low: log(0.5), high: log(2))
        #expect(abs(percent.change - 50) < 1e-12 && abs(percent.low + 50) < 1e-12 && abs(percent.high - 100) < 1e-12)
    }
}
