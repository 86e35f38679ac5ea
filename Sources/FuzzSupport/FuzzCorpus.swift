import Foundation

/// The seed inputs of a fuzz target: files, or every regular file in a directory (not nested).
public enum FuzzCorpus {
    /// One input with the path it came from.
    public struct Entry: Sendable {
        public let path: String
        public let bytes: [UInt8]
    }

    /// The inputs at `paths`, in sorted order within each directory; unreadable paths are skipped.
    public static func load(_ paths: [String]) -> [Entry] {
        var entries: [Entry] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files: [String]
            if isDirectory.boolValue {
                let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
                files = names.filter { !$0.hasPrefix(".") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files = [path]
            }
            for file in files {
                var isNested: ObjCBool = false
                guard manager.fileExists(atPath: file, isDirectory: &isNested), !isNested.boolValue,
                      let data = manager.contents(atPath: file)
                else { continue }
                entries.append(Entry(path: file, bytes: [UInt8](data)))
            }
        }
        return entries
    }
}

/// The two fuzz targets, by name, with what the standalone driver and the tests need.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case csv
    case formula

    /// Checks one input.
    public func run(_ bytes: UnsafeRawBufferPointer) -> FuzzFinding? {
        switch self {
        case .csv: CSVFuzzTarget.run(bytes)
        case .formula: FormulaFuzzTarget.run(bytes)
        }
    }

    /// Checks one input held in an array.
    public func run(_ bytes: [UInt8]) -> FuzzFinding? {
        bytes.withUnsafeBytes { run($0) }
    }

    /// The longest input worth trying.
    public var maximumLength: Int {
        switch self {
        case .csv: CSVFuzzTarget.maximumLength
        case .formula: FormulaFuzzTarget.maximumLength
        }
    }

    /// Tokens for the mutator.
    public var dictionary: [String] {
        switch self {
        case .csv: FuzzMutator.csvDictionary
        case .formula: FuzzMutator.formulaDictionary
        }
    }
}
