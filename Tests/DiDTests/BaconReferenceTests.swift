import DiD
import Testing

/// The decomposition against Tests/Fixtures/bacon/bacon_reference.json (diff-diff 3.13.0,
/// pybacondecomp 0.1.0 and the paper's equations; see the fixture README).
@Suite("Bacon decomposition: reference fixtures")
struct BaconReferenceTests {
    static let caseNames = ["mpdta_lemp", "synthetic_pooled", "synthetic_separate"]

    static func load(_ name: String) throws -> (BaconReferenceCase, BaconDecomposition) {
        let file = try BaconTestSupport.loadReference()
        let reference = try #require(file.cases.first { $0.name == name })
        let options = BaconOptions(alwaysTreated: reference.alwaysTreated == "pooled"
                                   ? .pooledWithUntreated : .separateGroup)
        let result = try BaconDecomposition.compute(BaconTestSupport.input(for: reference), options: options)
        return (reference, result)
    }

    @Test("every comparison's estimate and weight to 1e-10 relative", arguments: caseNames)
    func comparisons(name: String) throws {
        let (reference, result) = try Self.load(name)
        #expect(result.comparisons.count == reference.comparisons.count)
        for row in reference.comparisons {
            let matches = result.comparisons.filter {
                $0.kind.rawValue == row.kind && $0.treatedCohort == row.treatedCohort
                    && $0.controlCohort == row.controlCohort
                    && $0.controlIsAlwaysTreated == row.controlAlwaysTreated
            }
            try #require(matches.count == 1, "\(name): \(row.kind) \(row.treatedCohort) vs \(String(describing: row.controlCohort))")
            let c = matches[0]
            #expect(BaconTestSupport.agrees(c.estimate, row.estimate),
                    "\(name) \(row.kind) \(row.treatedCohort): estimate \(c.estimate) vs \(row.estimate)")
            #expect(BaconTestSupport.agrees(c.weight, row.weight),
                    "\(name) \(row.kind) \(row.treatedCohort): weight \(c.weight) vs \(row.weight)")
        }
    }

    @Test("TWFE coefficient, and totals and means by kind", arguments: caseNames)
    func totals(name: String) throws {
        let (reference, result) = try Self.load(name)
        #expect(BaconTestSupport.agrees(result.twfeEstimate, reference.twfeEstimate))
        // The dummy-variable OLS of the script is a different computation (LAPACK least
        // squares), itself accurate to about 1e-12 relative here.
        #expect(BaconTestSupport.agrees(result.twfeEstimate, reference.twfeOlsDummies))
        #expect(BaconTestSupport.agrees(result.weightedSum, result.twfeEstimate))
        for kind in BaconComparison.Kind.allCases {
            let weight = reference.weightsByKind[kind.rawValue] ?? 0
            #expect(BaconTestSupport.agrees(result.weightsByKind[kind] ?? -1, weight), "\(name) \(kind)")
            if let estimate = reference.estimateByKind[kind.rawValue] {
                #expect(BaconTestSupport.agrees(result.estimateByKind[kind] ?? .nan, estimate), "\(name) \(kind)")
            } else {
                #expect(result.estimateByKind[kind] == nil)
            }
        }
    }

    /// pybacondecomp's basic mode (Stata's layout) keeps the always-treated apart and reports
    /// each pair of cohorts as one comparison, whose weight is the sum of the two directions
    /// and whose estimate is their weighted mean (the paper's Eq. 11).
    @Test("always treated as a group: pybacondecomp basic mode, row by row")
    func stataLayout() throws {
        let (reference, result) = try Self.load("synthetic_separate")
        let rows = try #require(reference.pybacondecompBasic)
        #expect(rows.contains { $0.type == "Always vs timing" })
        for row in rows {
            let treated = try #require(Int(row.treated))
            let selected: [BaconComparison]
            switch row.type {
            case "Never vs timing":
                selected = result.comparisons.filter { $0.kind == .treatedVsNever && $0.treatedCohort == treated }
            case "Always vs timing":
                selected = result.comparisons.filter { $0.controlIsAlwaysTreated && $0.treatedCohort == treated }
            default:
                #expect(row.type == "Timing groups")
                let other = try #require(Int(row.control))
                selected = result.comparisons.filter {
                    !$0.controlIsAlwaysTreated && $0.controlCohort != nil
                        && Set([$0.treatedCohort, $0.controlCohort ?? 0]) == Set([treated, other])
                }
                #expect(selected.count == 2)
            }
            try #require(!selected.isEmpty, "\(row.type) \(row.treated) \(row.control)")
            let weight = selected.reduce(0) { $0 + $1.weight }
            let estimate = selected.reduce(0) { $0 + $1.weight * $1.estimate } / weight
            #expect(BaconTestSupport.agrees(weight, row.weight), "\(row.type) \(row.treated) \(row.control)")
            #expect(BaconTestSupport.agrees(estimate, row.estimate), "\(row.type) \(row.treated) \(row.control)")
        }
    }

    @Test("mpdta: the published shape (3 cohorts, 309 never-treated counties, 5 years)")
    func mpdtaShape() throws {
        let (_, result) = try Self.load("mpdta_lemp")
        #expect(result.unitCount == 500)
        #expect(result.periods == [2003, 2004, 2005, 2006, 2007])
        #expect(result.cohortSizes == [2004: 20, 2006: 40, 2007: 131])
        #expect(result.untreatedUnits == 309)
        #expect(result.alwaysTreatedUnits == 0)
        #expect(result.comparisons.count == 9)
        #expect(abs(result.twfeEstimate - -0.0365489) < 5e-8)
    }
}
