import DiD
import Formula
import Foundation
import Inference
import PanelData

extension EvaluationSpec {
    /// The data file's path: relative paths are taken from the spec file's directory, so a spec
    /// and its data move together.
    public var dataPath: String { resolve(data) }

    /// The truth file's path, when the spec names one.
    public var truthPath: String? { truth.map(resolve) }

    func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let directory = URL(fileURLWithPath: self.path).deletingLastPathComponent()
        return directory.appendingPathComponent(path).standardizedFileURL.path
    }

    func location(_ key: String) -> SpecLocation? { keyLocations[key] }

    func fail(_ location: SpecLocation?, _ message: String) -> SpecError { SpecError(path: path, location: location, message) }

    /// Checks the spec against the data before anything is estimated: every column it names
    /// exists with the right kind, every scale suits its outcome's values, every filter and
    /// covariance parses; the error names the key and line at fault.
    public func validate(against table: DataTable) throws {
        func column(_ name: String, at location: SpecLocation?, numeric: Bool, role: String) throws -> Column {
            guard let found = table.column(named: name) else {
                let near = table.closestNames(to: name)
                let hint = near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?)"
                throw fail(location, "\(role) '\(name)' is not a column of \(data)\(hint)")
            }
            if numeric, case .text(let text) = found {
                let example = text.firstNonNumeric.map { ": line \($0.row) has '\($0.value)'" } ?? ""
                throw fail(location, "\(role) '\(name)' must be numeric, but the column holds text\(example)")
            }
            return found
        }
        _ = try column(unit, at: location("unit"), numeric: false, role: "unit")
        _ = try column(time, at: location("time"), numeric: true, role: "time")
        for programme in programmes {
            var cohortLocation = programme.location
            cohortLocation.keyPath += ".cohort"
            _ = try column(programme.cohort, at: cohortLocation, numeric: true, role: "cohort column")
            if let filter = programme.filter { try checkFilter(filter, table: table, at: programme.location, key: ".filter") }
            var feLocation = programme.location
            feLocation.keyPath += ".fe"
            let feTerms = programme.fixedEffects.isEmpty ? [] : try ModelFormula.parse("y ~ 1 | " + programme.fixedEffects.joined(separator: " + ")).fixedEffects
            for variable in feTerms.flatMap(\.variables) { _ = try column(variable, at: feLocation, numeric: false, role: "fixed-effect variable") }
        }
        if let filter { try checkFilter(filter, table: table, at: location("filter"), key: "") }
        for outcome in outcomes {
            guard case .numeric(let values) = try column(outcome.column, at: outcome.columnLocation, numeric: true, role: "outcome") else { continue }
            try checkScale(outcome, values: values)
        }
        let textCovariates = try covariates.filter { name in
            if case .text = try column(name, at: location("covariates"), numeric: false, role: "covariate") { return true }
            return false
        }
        if let text = textCovariates.first,
           let programme = programmes.first(where: { $0.estimators.contains { $0 != .callawaySantAnna } }) {
            throw fail(location("covariates"), "covariate '\(text)' is text: only Callaway–Sant'Anna takes text covariates (as indicators), but programme \(programme.name) also runs \(programme.estimators.filter { $0 != .callawaySantAnna }.map(\.rawValue).joined(separator: ", "))")
        }
        for subgroup in subgroups {
            let found = try column(subgroup.column, at: subgroup.location, numeric: false, role: "subgroup column")
            let available = Self.levels(of: found)
            for level in subgroup.levels ?? [] where !available.contains(level) {
                throw fail(subgroup.location, "level '\(level)' does not occur in '\(subgroup.column)' (levels: \(available.prefix(12).joined(separator: ", ")))")
            }
        }
        let covariance: CovarianceType
        do {
            covariance = try CovarianceType(parsing: inference.vcov ?? "cluster:\(unit)")
        } catch {
            throw fail(location("inference"), "inference.vcov: \(error)")
        }
        for name in covariance.clusterVariables { _ = try column(name, at: location("inference"), numeric: false, role: "cluster variable") }
        if let truthPath, !FileManager.default.fileExists(atPath: truthPath) {
            throw fail(location("truth"), "the truth file \(truthPath) does not exist")
        }
    }

    /// The levels of a column as texts, sorted (numbers in numeric order).
    static func levels(of column: Column) -> [String] {
        switch column {
        case .text(let text):
            return Set(text.codes.filter { $0 >= 0 }.map { text.levels[Int($0)] }).sorted()
        case .numeric(let values):
            return Set(values.filter { !$0.isNaN }).sorted().map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }
        }
    }

    func checkFilter(_ text: String, table: DataTable, at location: SpecLocation?, key: String) throws {
        var filterLocation = location
        filterLocation?.keyPath += key
        guard let filter = try? RowFilter.parse(text) else { return }
        for name in filter.variables.sorted() where table.column(named: name) == nil {
            let near = table.closestNames(to: name)
            throw fail(filterLocation, "the filter \"\(text)\" names '\(name)', which is not a column of \(data)" + (near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?)"))
        }
    }

    /// Refuses a scale that cannot describe the outcome's values: a log of an outcome with no
    /// positive value, Poisson on negative values, an extensive margin without both zeros and
    /// positive values, or any scale but level on a 0/1 outcome other than the extensive margin.
    func checkScale(_ outcome: Outcome, values: [Double]) throws {
        let present = values.filter { $0.isFinite }
        guard !present.isEmpty else { throw fail(outcome.location, "outcome '\(outcome.column)' has no values") }
        let negative = present.first { $0 < 0 }
        let positives = present.filter { $0 > 0 }.count, zeros = present.filter { $0 == 0 }.count
        let binary = present.allSatisfy { $0 == 0 || $0 == 1 }
        switch outcome.scale {
        case .log:
            if let negative { throw fail(outcome.location, "log needs a positive outcome, but '\(outcome.column)' has negative values (e.g. \(negative)); use scale: level") }
            if positives == 0 { throw fail(outcome.location, "log needs positive values, but '\(outcome.column)' has none") }
            if binary { throw fail(outcome.location, "'\(outcome.column)' is 0/1: its log is 0 or undefined; use scale: level (a linear probability model)") }
        case .poisson:
            if let negative { throw fail(outcome.location, "poisson needs a non-negative outcome (counts or amounts), but '\(outcome.column)' has negative values (e.g. \(negative)); use scale: level") }
            if positives == 0 { throw fail(outcome.location, "poisson needs positive values, but '\(outcome.column)' is zero throughout") }
        case .extensive:
            if let negative { throw fail(outcome.location, "the extensive margin I(\(outcome.column) > 0) needs a non-negative outcome, but '\(outcome.column)' has negative values (e.g. \(negative))") }
            if zeros == 0 || positives == 0 {
                throw fail(outcome.location, "the extensive margin needs both zeros and positive values, but '\(outcome.column)' has \(zeros) zeros and \(positives) positive values: there is no margin to move")
            }
        case .level:
            break
        }
    }
}
