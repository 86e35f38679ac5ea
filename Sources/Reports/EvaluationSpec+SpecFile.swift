import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading the spec file itself: each way a path can fail to be a YAML spec gets its own reason,
/// where Foundation's "The operation could not be completed" said none.
extension EvaluationSpec {
    /// The spec file's text, or the reason it cannot be a spec: missing, a directory, unreadable,
    /// or not UTF-8 text (binary, UTF-16, NUL bytes).
    static func specText(path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw SpecError(path: path, location: nil, "no such file: give the evaluation's YAML spec") }
            throw SpecError(path: path, location: nil, "cannot read the spec file (\(String(cString: strerror(code))))")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw SpecError(path: path, location: nil, "is a directory: give the spec's YAML file inside it, e.g. \(path)/spec.yaml")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SpecError(path: path, location: nil, "cannot read the spec file (\(String(cString: strerror(errno))))")
        }
        let data = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw SpecError(path: path, location: nil, "is not UTF-8 text (it holds NUL or binary bytes, or is UTF-16): a spec is a YAML text file")
        }
        return text
    }

    /// Whether text that is not valid YAML reads as TOML: a `[table]` header and `key = value`
    /// lines, the shape of a pyproject or Cargo file.
    static func looksLikeTOML(_ text: String) -> Bool {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let tables = lines.filter { $0.hasPrefix("[") && $0.hasSuffix("]") && !$0.contains(",") }
        let assignments = lines.filter { line in
            guard let equals = line.firstIndex(of: "=") else { return false }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            return !key.isEmpty && !key.contains(":") && !key.contains(" ")
        }
        return !tables.isEmpty && !assignments.isEmpty
    }
}
