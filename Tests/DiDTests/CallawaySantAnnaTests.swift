import DiD
import PanelData
import Testing

/// Identities that Callaway–Sant'Anna must satisfy whatever the peers say: without covariates each
/// post-treatment ATT(g,t) is a difference of mean changes, the three 2x2 methods coincide, and
/// the panel modes agree on a balanced panel.
@Suite struct CallawaySantAnnaTests {
    /// A balanced panel: 60 units over 2001–2006, cohorts 2003, 2005 and never, effects that grow.
    static func table() -> DataTable {
        var unit = [Double](), time = [Double](), cohort = [Double](), y = [Double](), x = [Double]()
        var state: UInt64 = 42
        func noise() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        for u in 1...60 {
            let g = u <= 15 ? 2003 : (u <= 30 ? 2005 : 0)
            let level = noise()
            for t in 2001...2006 {
                unit.append(Double(u)); time.append(Double(t)); cohort.append(Double(g)); x.append(Double(u % 4))
                let effect = g > 0 && t >= g ? 0.2 * Double(t - g + 1) : 0
                y.append(level + 0.1 * Double(t - 2000) + effect + 0.3 * noise())
            }
        }
        return DataTable(source: "synthetic", names: ["unit", "time", "cohort", "y", "x"],
                         columns: [.numeric(unit), .numeric(time), .numeric(cohort), .numeric(y), .numeric(x)], rowCount: unit.count)
    }

    static func estimate(_ options: CallawaySantAnnaOptions, mode: UnitPanel.Mode = .auto, covariates: [String] = []) throws -> StaggeredResult {
        let table = table()
        let structure = try PanelStructure(table: table, unit: "unit", time: "time", treatment: .cohort("cohort"))
        let outcome = try OutcomeColumn(outcome: "y", table: table)
        let columns = covariates.compactMap { name in table.column(named: name).map { (name, $0) } }
        let panel = try UnitPanel(structure: structure, outcome: outcome, covariates: columns, cluster: nil, anticipation: 0, mode: mode)
        return try CallawaySantAnna.estimate(panel: panel, options: options, aggregations: [.all], bootstrap: nil, unitName: "unit")
    }

    @Test func postCellsAreDifferencesOfMeanChanges() throws {
        let table = Self.table()
        guard case let .numeric(y)? = table.column(named: "y"), case let .numeric(cohort)? = table.column(named: "cohort") else {
            Issue.record("synthetic table")
            return
        }
        // Mean change from g − 1 to t of cohort g, minus that of the never treated.
        func meanChange(_ group: Double, from base: Int, to current: Int) -> Double {
            var total = 0.0, count = 0.0
            for u in 0..<60 where cohort[u * 6] == group {
                total += y[u * 6 + (current - 2001)] - y[u * 6 + (base - 2001)]
                count += 1
            }
            return total / count
        }
        let result = try Self.estimate(CallawaySantAnnaOptions())
        for cell in result.estimates where cell.kind == .attGT {
            guard let g = cell.group, let t = cell.time, t >= g else { continue }
            let expected = meanChange(Double(g), from: g - 1, to: t) - meanChange(0, from: g - 1, to: t)
            #expect(abs(cell.estimate - expected) < 1e-12, "ATT(\(g), \(t))")
        }
    }

    @Test func methodsCoincideWithoutCovariates() throws {
        var options = CallawaySantAnnaOptions()
        let dr = try Self.estimate(options)
        for method in [TwoByTwoMethod.ipw, .reg] {
            options.method = method
            let other = try Self.estimate(options)
            for (a, b) in zip(dr.estimates, other.estimates) where a.estimate.isFinite {
                #expect(abs(a.estimate - b.estimate) < 1e-12)
            }
            for (a, b) in zip(dr.standardErrors, other.standardErrors) where a.isFinite {
                #expect(abs(a - b) < 1e-12 * max(1, a))
            }
        }
    }

    @Test func panelModesAgreeOnABalancedPanel() throws {
        let auto = try Self.estimate(CallawaySantAnnaOptions(), mode: .auto, covariates: ["x"])
        for mode in [UnitPanel.Mode.balanced, .unbalanced, .pairwise] {
            let other = try Self.estimate(CallawaySantAnnaOptions(), mode: mode, covariates: ["x"])
            #expect(zip(auto.estimates, other.estimates).allSatisfy { $0.estimate == $1.estimate || ($0.estimate.isNaN && $1.estimate.isNaN) })
        }
    }

    /// Post-treatment cells do not depend on the base-period choice; the universal reference is 0.
    @Test func universalBasePeriod() throws {
        var options = CallawaySantAnnaOptions()
        let varying = try Self.estimate(options)
        options.basePeriod = .universal
        let universal = try Self.estimate(options)
        for cell in universal.estimates where cell.kind == .attGT {
            guard let g = cell.group, let t = cell.time else { continue }
            if t >= g {
                let match = varying.estimates.first { $0.kind == .attGT && $0.group == g && $0.time == t }
                #expect(abs((match?.estimate ?? .nan) - cell.estimate) < 1e-12)
            } else if t == g - 1 {
                #expect(cell.estimate == 0)
            }
        }
    }
}
