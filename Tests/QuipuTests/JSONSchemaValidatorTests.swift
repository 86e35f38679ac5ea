import Foundation
import QuipuTestSupport
import Testing

/// The test-support schema validator (issue 20, point 4) on a schema that uses every keyword it
/// supports, with documents that must pass and documents that must fail for one reason each.
@Suite struct JSONSchemaValidatorTests {
    static let schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["schema_version", "kind", "rows", "estimate"],
      "additionalProperties": false,
      "properties": {
        "schema_version": {"const": "1.0"},
        "kind": {"enum": ["twfe", "cs"]},
        "rows": {"type": "integer", "minimum": 0},
        "estimate": {"type": ["number", "null"]},
        "cohort": {"anyOf": [{"type": "integer"}, {"const": "never"}]},
        "flag": {"oneOf": [{"type": "boolean"}, {"type": "string"}]},
        "terms": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "test": {"$ref": "#/$defs/test"},
        "extra": {"type": "object", "additionalProperties": {"type": "integer"}}
      },
      "$defs": {
        "test": {"type": "object", "required": ["p_value"], "properties": {"p_value": {"type": "number"}}, "additionalProperties": false}
      }
    }
    """

    static let valid = """
    {"schema_version": "1.0", "kind": "cs", "rows": 3, "estimate": null, "cohort": "never", "flag": true,
     "terms": ["a"], "test": {"p_value": 0.5}, "extra": {"n": 2}}
    """

    func errors(_ document: String) throws -> [String] {
        try JSONSchemaValidator(schema: JSONInstance.parse(Self.schema)).errors(JSONInstance.parse(document))
    }

    @Test func validDocumentsPass() throws {
        #expect(try errors(Self.valid) == [])
        #expect(try errors(#"{"schema_version": "1.0", "kind": "twfe", "rows": 3.0, "estimate": 1.5, "cohort": 2004}"#) == [])
    }

    /// Each document breaks one rule, and the error names it.
    @Test(arguments: [
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 3}"#, "required key 'estimate'"),
        (#"{"schema_version": "2.0", "kind": "cs", "rows": 3, "estimate": 1}"#, "is not \"1.0\""),
        (#"{"schema_version": "1.0", "kind": "bacon", "rows": 3, "estimate": 1}"#, "is not one of"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 2.5, "estimate": 1}"#, "not of type integer"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": -1, "estimate": 1}"#, "below the minimum"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": "NaN"}"#, "not of type number or null"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "new_key": 1}"#, "'new_key' is not in the schema"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "cohort": "always"}"#, "matches none of anyOf"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "flag": 1}"#, "matches 0 of oneOf"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "terms": [1]}"#, "$.terms[0]"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "terms": []}"#, "fewer than 1"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "test": {"p": 1}}"#, "$.test: the key 'p'"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": 1, "estimate": 1, "extra": {"n": true}}"#, "$.extra.n"),
        (#"{"schema_version": "1.0", "kind": "cs", "rows": true, "estimate": 1}"#, "not of type integer"),
    ])
    func invalidDocumentsFail(document: String, expected: String) throws {
        let found = try errors(document)
        #expect(found.contains { $0.contains(expected) }, "expected an error containing \(expected), got \(found)")
    }

    /// A keyword the validator does not implement is an error, not silently ignored.
    @Test func unsupportedKeywordsAreReported() throws {
        let validator = JSONSchemaValidator(schema: try JSONInstance.parse(#"{"type": "string", "pattern": "^a"}"#))
        #expect(validator.errors(.string("b")).contains { $0.contains("'pattern'") })
        let dangling = JSONSchemaValidator(schema: try JSONInstance.parse(##"{"$ref": "#/$defs/missing"}"##))
        #expect(dangling.errors(.null).contains { $0.contains("no $defs entry 'missing'") })
    }

    /// A boolean is not a number and a fractional number is not an integer, as JSON Schema says.
    @Test func typesAreStrict() throws {
        #expect(try JSONInstance.parse("true") == .bool(true))
        #expect(try JSONInstance.parse("1") == .number(1))
        let integer = JSONSchemaValidator(schema: try JSONInstance.parse(#"{"type": "integer"}"#))
        #expect(integer.errors(.bool(true)).count == 1)
        #expect(integer.errors(.number(1.5)).count == 1)
        #expect(integer.errors(.number(2)).isEmpty)
    }
}
