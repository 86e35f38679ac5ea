import Foundation
import QuipuTestSupport
import Testing

/// Issue 20, point 4: `docs/schema/` validates the JSON of every command in the suite. Rather
/// than run each command a second time for its schema, `runQuipu` hands every successful run here:
/// the JSON it wrote (standard output with `--format json`, or the `--output` file), its
/// `--timings` line, a report's results.json and manifest.json and a simulation's JSON truth file are
/// checked against the command's published schema, and each way one breaks it is recorded as an
/// issue of the test that ran the command. OutputSchemaTests runs every command in its variants,
/// so each schema is exercised even if no other test used that command.
enum PublishedSchemas {
    /// The schemas of docs/schema/, read once per test process.
    static let byName: [String: JSONSchemaValidator] = {
        let folder = repositoryRoot.appendingPathComponent("docs/schema")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var schemas = [String: JSONSchemaValidator]()
        for file in files where file.hasSuffix(".schema.json") {
            schemas[String(file.dropLast(".schema.json".count))] = try? JSONSchemaValidator(contentsOf: folder.appendingPathComponent(file).path)
        }
        return schemas
    }()

    /// The commands whose `--format json` output is one document of the schema of the same name.
    static let documentCommands: Set<String> = ["feols", "fepois", "did", "describe", "trends", "table"]

    /// The schema `name`; throws when docs/schema has no readable schema of that name.
    static func schema(_ name: String) throws -> JSONSchemaValidator {
        guard let schema = byName[name] else { throw SchemaMissing(name: name) }
        return schema
    }

    struct SchemaMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "docs/schema/\(name).schema.json is missing or cannot be parsed" }
    }

    /// Records an issue for each way `text` breaks the schema `name`.
    static func expectValid(_ text: String, schema name: String, _ what: String) throws {
        let document = try JSONInstance.parse(text)
        let errors = try schema(name).errors(document)
        #expect(errors.isEmpty, "\(what) breaks docs/schema/\(name).schema.json:\n\(errors.prefix(10).joined(separator: "\n"))")
    }

    /// Checks what a successful run of `arguments` wrote against the published schemas and returns
    /// the names of the schemas it checked (in the order checked).
    static func validate(_ arguments: [String], status: Int32, standardOutput: String, standardError: String) -> [String] {
        guard status == 0, let command = arguments.first else { return [] }
        let what = "quipu " + arguments.joined(separator: " ")
        func value(of option: String) -> String? {
            if let index = arguments.firstIndex(of: option), index + 1 < arguments.count { return arguments[index + 1] }
            return arguments.first { $0.hasPrefix(option + "=") }.map { String($0.dropFirst(option.count + 1)) }
        }
        func file(_ path: String) -> String? {
            let url = URL(fileURLWithPath: path, relativeTo: repositoryRoot)
            return try? String(contentsOf: url, encoding: .utf8)
        }
        var documents = [(schema: String, text: String, what: String)]()
        if documentCommands.contains(command), value(of: "--format") == "json" {
            if let output = value(of: "--output") {
                if let text = file(output) { documents.append((command, text, what + " (--output)")) }
            } else {
                documents.append((command, standardOutput, what))
            }
        }
        if command == "report", let out = value(of: "--out") {
            for (name, schema) in [("results.json", "report-results"), ("manifest.json", "report-manifest")] {
                if let text = file(out + "/" + name) { documents.append((schema, text, what + " (\(name))")) }
            }
        }
        // The truth file is JSON when its name ends in .json (SimulateCommand writes CSV otherwise).
        if command == "simulate", let truth = value(of: "--truth"), truth.lowercased().hasSuffix(".json"), let text = file(truth) {
            documents.append(("simulate-truth", text, what + " (--truth)"))
        }
        if let timings = standardError.split(separator: "\n").last(where: { $0.hasPrefix("{\"timings\"") }) {
            documents.append(("timings", String(timings), what + " (--timings)"))
        }
        for document in documents {
            do {
                try expectValid(document.text, schema: document.schema, document.what)
            } catch {
                Issue.record("\(document.what): its \(document.schema) JSON cannot be checked: \(error)")
            }
        }
        return documents.map(\.schema)
    }
}
