/// The version of Quipu's JSON output contract, written as the top-level `schema_version` of
/// every JSON document a command writes (and of each document of a multi-model output), so that
/// a reader can tell which shape it holds. The shapes are published as JSON Schemas under
/// `docs/schema/`; a change to a shape changes the schema and this version together.
public enum OutputContract {
    /// The current version: the major part changes when a key is removed or changes meaning,
    /// the minor part when a key is added.
    public static let schemaVersion = "2.2"
}

extension JSONValue {
    /// This object with `schema_version` as its first key (unchanged when it is not an object or
    /// already has one).
    public func versioned() -> JSONValue {
        guard case .object(let pairs) = self, !pairs.contains(where: { $0.0 == "schema_version" }) else { return self }
        return .object([("schema_version", .string(OutputContract.schemaVersion))] + pairs)
    }
}
