import ArgumentParser
import Foundation

/// `--max-memory`: the most memory a command may plan to use (16G, 512M, 2.5GiB, a byte count),
/// or none for no check.
enum MemoryLimit: OptionValue, Equatable {
    /// This many bytes.
    case bytes(Int)
    /// No check (`none` or `off`).
    case unchecked

    static func parsing(_ text: String) throws -> MemoryLimit {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "none" || trimmed == "off" { return .unchecked }
        let units: [(suffixes: [String], scale: Double)] = [
            (["tib", "tb", "t"], 1_099_511_627_776), (["gib", "gb", "g"], 1_073_741_824),
            (["mib", "mb", "m"], 1_048_576), (["kib", "kb", "k"], 1024), (["b", ""], 1),
        ]
        for (suffixes, scale) in units {
            for suffix in suffixes where trimmed.hasSuffix(suffix) {
                let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
                if let value = Double(number), value.isFinite, value > 0, value * scale < 9e18 {
                    return .bytes(Int(value * scale))
                }
            }
        }
        throw ValidationError("must be a size such as 16G, 512M or 2.5GiB, or none")
    }

    /// The limit in bytes, nil for none.
    var byteCount: Int? {
        if case .bytes(let count) = self { return count }
        return nil
    }
}
