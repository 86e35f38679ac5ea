import Foundation

/// The one way suites read their reference files (Tests/Fixtures/…, Datasets/…).
///
/// A reference test that finds no fixture must fail loudly, naming the file: a missing or empty
/// file that decoded to nothing would otherwise let every comparison over its cases pass vacuously.
public enum Fixture {
    /// The repository root, found from this file's location (Tests/QuipuTestSupport/Fixture.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The absolute path of `relative` (to the repository root); an absolute path is kept as it is.
    public static func path(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : repositoryRoot.appendingPathComponent(relative).path
    }

    /// The bytes of a fixture. Throws `FixtureError`, naming the path, when the file is missing,
    /// unreadable or empty.
    public static func data(_ relative: String) throws -> Data {
        let path = path(relative)
        guard FileManager.default.fileExists(atPath: path) else { throw FixtureError(path: path, problem: "does not exist") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FixtureError(path: path, problem: "cannot be read (\(error.localizedDescription))")
        }
        // Whitespace only is empty too: a truncated download or an interrupted generator.
        let whitespace: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
        guard data.contains(where: { !whitespace.contains($0) }) else {
            throw FixtureError(path: path, problem: "is empty")
        }
        return data
    }

    /// A fixture's text (UTF-8).
    public static func text(_ relative: String) throws -> String {
        String(decoding: try data(relative), as: UTF8.self)
    }

    /// A JSON fixture whose top level is an object.
    public static func jsonObject(_ relative: String) throws -> [String: Any] {
        let data = try data(relative)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError(path: path(relative), problem: "is not a JSON object")
        }
        return object
    }

    /// A JSON fixture decoded as `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from relative: String) throws -> T {
        try JSONDecoder().decode(type, from: try data(relative))
    }
}

/// A fixture that is missing, unreadable, empty or not of the expected shape.
public struct FixtureError: Error, CustomStringConvertible {
    /// The file's absolute path.
    public let path: String
    /// What is wrong with it ("does not exist", "is empty").
    public let problem: String

    public var description: String { "fixture \(path) \(problem)" }
}
