import Foundation
import Reporting

/// The true effects of a simulated panel (`quipu simulate peru --truth FILE.json`), looked up by
/// programme, outcome column and scale.
struct TruthFile {
    /// (programme, outcome) → the `simple` aggregate's fields.
    private var simple: [String: [String: Double]] = [:]
    /// (programme, outcome, size class) → the `size_class` aggregate's fields.
    private var bySize: [String: [String: Double]] = [:]

    init(path: String, spec: EvaluationSpec) throws {
        let parsed: Any
        do {
            parsed = try JSONReader.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw spec.fail(spec.location("truth"), "the truth file \(path) cannot be read as JSON: \(error)")
        }
        guard let root = parsed as? [String: Any], let aggregates = root["aggregates"] as? [[String: Any]] else {
            throw spec.fail(spec.location("truth"), "the truth file \(path) has no 'aggregates' list (write it with quipu simulate peru --truth FILE.json)")
        }
        for entry in aggregates {
            guard let programme = entry["programme"] as? String, let outcome = entry["outcome"] as? String else { continue }
            if let fields = entry["simple"] as? [String: Any] { simple["\(programme)|\(outcome)"] = Self.numbers(fields) }
            for cell in entry["size_class"] as? [[String: Any]] ?? [] {
                guard let size = cell["size_class"] as? String else { continue }
                bySize["\(programme)|\(outcome)|\(size)"] = Self.numbers(cell)
            }
        }
    }

    static func numbers(_ fields: [String: Any]) -> [String: Double] {
        fields.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    /// The truth file's field for an estimate on `scale`: the mean log effect for log outcomes,
    /// the log ratio of means for Poisson, the level effect for levels; none for the extensive
    /// margin, which the file does not give.
    static func field(_ scale: EvaluationSpec.Scale) -> String? {
        switch scale {
        case .log: return "log_effect"
        case .poisson: return "log_ratio_of_means"
        case .level: return "level_effect"
        case .extensive: return nil
        }
    }

    func value(programme: String, outcome: EvaluationSpec.Outcome) -> Double? {
        Self.field(outcome.scale).flatMap { simple["\(programme)|\(outcome.column)"]?[$0] }
    }

    func value(programme: String, outcome: EvaluationSpec.Outcome, sizeClass: String) -> Double? {
        Self.field(outcome.scale).flatMap { bySize["\(programme)|\(outcome.column)|\(sizeClass)"]?[$0] }
    }
}
