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
}
