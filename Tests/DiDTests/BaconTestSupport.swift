import DiD
import Foundation
import QuipuTestSupport

/// Files, fixtures, simulated panels and an independent least-squares fit for the Bacon tests.
enum BaconTestSupport {
    static func path(_ relative: String) -> String {
        Fixture.path(relative)
    }

    /// Columns of a plain numeric CSV file (no quoting), by header name.
    static func readCSV(_ relative: String) throws -> [String: [String]] {
        let text = try String(contentsOfFile: path(relative), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [:] }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var columns = Dictionary(uniqueKeysWithValues: header.map { ($0, [String]()) })
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for (name, field) in zip(header, fields) { columns[name, default: []].append(field) }
        }
        return columns
    }

    /// The decomposition input described by a fixture case, read from its CSV file.
    static func input(for reference: BaconReferenceCase) throws -> BaconInput {
        let columns = try readCSV(reference.data)
        // Swift's Double(String) rounds correctly, like the fixture script's parser, so both
        // sides start from the same doubles.
        let unit = (columns[reference.unit] ?? []).compactMap { Int($0) }
        let time = (columns[reference.time] ?? []).compactMap { Int($0) }
        let outcome = (columns[reference.outcome] ?? []).compactMap { Double($0) }
        let cohort: [Int?] = (columns[reference.cohort] ?? []).compactMap { Int($0) }
            .map { $0 == reference.neverValue ? nil : $0 }
        return BaconInput(unit: unit, time: time, outcome: outcome, cohort: cohort)
    }

    static func loadReference() throws -> BaconReferenceFile {
        try Fixture.decode(BaconReferenceFile.self, from: "Tests/Fixtures/bacon/bacon_reference.json")
    }

    /// |a − b| relative to the larger magnitude, with an absolute floor of 1e-15 for values at
    /// rounding level (a relative test of two numbers near zero says nothing).
    static func agrees(_ a: Double, _ b: Double, tolerance: Double = 1e-10) -> Bool {
        let difference = abs(a - b)
        return difference <= tolerance * max(abs(a), abs(b)) || difference <= 1e-15
    }
}

// MARK: - Fixture file

struct BaconReferenceFile: Decodable {
    let packages: [String: String]
    let cases: [BaconReferenceCase]
}

struct BaconReferenceCase: Decodable {
    struct Row: Decodable {
        let kind: String
        let treatedCohort: Int
        let controlCohort: Int?
        let controlAlwaysTreated: Bool
        let estimate: Double
        let weight: Double
    }

    /// A row of pybacondecomp's basic (Stata-style) output, kept for the always-treated case.
    struct StataRow: Decodable {
        let type: String
        let treated: String
        let control: String
        let estimate: Double
        let weight: Double
    }

    let name: String
    let data: String
    let unit: String
    let time: String
    let cohort: String
    let neverValue: Int
    let outcome: String
    let alwaysTreated: String
    let twfeEstimate: Double
    let twfeOlsDummies: Double
    let comparisons: [Row]
    let weightsByKind: [String: Double]
    let estimateByKind: [String: Double]
    let pybacondecompBasic: [StataRow]?

    enum CodingKeys: String, CodingKey {
        case name, data, unit, time, cohort, outcome, comparisons
        case neverValue = "never_value", alwaysTreated = "always_treated", twfeEstimate = "twfe_estimate"
        case twfeOlsDummies = "twfe_ols_dummies", weightsByKind = "weights_by_kind"
        case estimateByKind = "estimate_by_kind", pybacondecompBasic = "pybacondecomp_basic"
    }
}

extension BaconReferenceCase.Row {
    enum CodingKeys: String, CodingKey {
        case kind, estimate, weight
        case treatedCohort = "treated_cohort", controlCohort = "control_cohort"
        case controlAlwaysTreated = "control_always_treated"
    }
}
