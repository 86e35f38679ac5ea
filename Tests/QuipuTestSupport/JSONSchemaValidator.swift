import Foundation

/// A JSON Schema (draft 2020-12) validator for the subset of keywords Quipu's published schemas
/// (`docs/schema/`) use: `type` (a name or a list), `properties`, `required`,
/// `additionalProperties` (a boolean or a schema), `items`, `enum`, `const`, `$ref` to `#/$defs/…`,
/// `anyOf`, `oneOf`, `minimum`, `minItems`, `maxItems`, plus the annotations (`$schema`, `$id`, `title`,
/// `description`, `$comment`, `$defs`). Any other keyword is reported as an error rather than
/// ignored, so a schema cannot silently stop checking what it seems to check.
public struct JSONSchemaValidator: Sendable {
    /// The schema document.
    public let schema: JSONInstance

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$comment", "$defs"]
    static let assertions: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "enum", "const",
                                          "$ref", "anyOf", "oneOf", "minimum", "minItems", "maxItems"]

    public init(schema: JSONInstance) { self.schema = schema }

    /// The schema in the file at `path`.
    public init(contentsOf path: String) throws {
        schema = try JSONInstance.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The ways `instance` breaks the schema, each as "path: reason" (empty when it is valid).
    public func errors(_ instance: JSONInstance) -> [String] {
        var errors = [String]()
        check(instance, against: schema, at: "$", errors: &errors)
        return errors
    }

    private func check(_ instance: JSONInstance, against schema: JSONInstance, at path: String, errors: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): no value is allowed here") }
            return
        }
        guard case .object(let keywords) = schema else {
            errors.append("\(path): the schema here is not an object or boolean")
            return
        }
        for keyword in keywords.keys where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            errors.append("\(path): the schema uses '\(keyword)', which this validator does not support")
        }
        if let reference = keywords["$ref"] { checkReference(instance, reference, at: path, errors: &errors) }
        if let type = keywords["type"] { checkType(instance, type, at: path, errors: &errors) }
        if let allowed = keywords["enum"] {
            if case .array(let values) = allowed, !values.contains(instance) {
                errors.append("\(path): \(Self.describe(instance)) is not one of \(values.map(Self.describe).joined(separator: ", "))")
            }
        }
        if let constant = keywords["const"], constant != instance {
            errors.append("\(path): \(Self.describe(instance)) is not \(Self.describe(constant))")
        }
        if case .number(let minimum) = keywords["minimum"], case .number(let value) = instance, value < minimum {
            errors.append("\(path): \(value) is below the minimum \(minimum)")
        }
        if case .object(let members) = instance { checkObject(members, keywords, at: path, errors: &errors) }
        if case .array(let items) = instance {
            if case .number(let least) = keywords["minItems"], Double(items.count) < least {
                errors.append("\(path): \(items.count) items, fewer than \(Int(least))")
            }
            if case .number(let most) = keywords["maxItems"], Double(items.count) > most {
                errors.append("\(path): \(items.count) items, more than \(Int(most))")
            }
            if let itemSchema = keywords["items"] {
                for (index, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(index)]", errors: &errors) }
            }
        }
        if case .array(let options) = keywords["anyOf"] {
            let passing = options.filter { errorsOf(instance, $0, path).isEmpty }.count
            if passing == 0 { errors.append("\(path): matches none of anyOf: " + firstErrors(instance, options, path)) }
        }
        if case .array(let options) = keywords["oneOf"] {
            let passing = options.filter { errorsOf(instance, $0, path).isEmpty }.count
            if passing != 1 {
                errors.append("\(path): matches \(passing) of oneOf's \(options.count) schemas, not exactly one"
                              + (passing == 0 ? ": " + firstErrors(instance, options, path) : ""))
            }
        }
    }

    private func errorsOf(_ instance: JSONInstance, _ schema: JSONInstance, _ path: String) -> [String] {
        var errors = [String]()
        check(instance, against: schema, at: path, errors: &errors)
        return errors
    }

    /// Each option's first error, so that a failed anyOf says why.
    private func firstErrors(_ instance: JSONInstance, _ options: [JSONInstance], _ path: String) -> String {
        options.map { errorsOf(instance, $0, path).first ?? "" }.joined(separator: " | ")
    }

    private func checkObject(_ members: [String: JSONInstance], _ keywords: [String: JSONInstance], at path: String, errors: inout [String]) {
        if case .array(let required) = keywords["required"] {
            for case .string(let key) in required where members[key] == nil { errors.append("\(path): the required key '\(key)' is missing") }
        }
        var properties = [String: JSONInstance]()
        if case .object(let declared) = keywords["properties"] { properties = declared }
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            if let property = properties[key] {
                check(value, against: property, at: "\(path).\(key)", errors: &errors)
            } else if let additional = keywords["additionalProperties"] {
                if case .bool(false) = additional {
                    errors.append("\(path): the key '\(key)' is not in the schema")
                } else {
                    check(value, against: additional, at: "\(path).\(key)", errors: &errors)
                }
            }
        }
    }

    private func checkType(_ instance: JSONInstance, _ type: JSONInstance, at path: String, errors: inout [String]) {
        var names = [String]()
        switch type {
        case .string(let name): names = [name]
        case .array(let list): names = list.compactMap { if case .string(let name) = $0 { return name } else { return nil } }
        default: errors.append("\(path): 'type' must be a name or a list of names")
        }
        if instance.typeNames.isDisjoint(with: names) {
            errors.append("\(path): \(Self.describe(instance)) is not of type \(names.joined(separator: " or "))")
        }
    }

    private func checkReference(_ instance: JSONInstance, _ reference: JSONInstance, at path: String, errors: inout [String]) {
        guard case .string(let target) = reference, target.hasPrefix("#/$defs/") else {
            errors.append("\(path): only '#/$defs/NAME' references are supported, not \(Self.describe(reference))")
            return
        }
        let name = String(target.dropFirst("#/$defs/".count))
        guard let definition = schema["$defs"]?[name] else {
            errors.append("\(path): the schema has no $defs entry '\(name)'")
            return
        }
        check(instance, against: definition, at: path, errors: &errors)
    }

    /// A short rendering of a value for messages.
    static func describe(_ value: JSONInstance) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .number(let number): return String(number)
        case .string(let text): return "\"\(text.prefix(40))\""
        case .array(let items): return "an array of \(items.count)"
        case .object(let members): return "an object with \(members.count) keys"
        }
    }
}
