import DiD
import Testing

/// Inputs the decomposition refuses, and the messages that say why.
@Suite("Bacon decomposition: errors")
struct BaconErrorTests {
    /// A balanced 3-unit, 3-period panel: unit 1 treated from 2, units 2 and 3 never.
    static func rows() -> (unit: [Int], time: [Int], outcome: [Double], cohort: [Int?]) {
        ([1, 1, 1, 2, 2, 2, 3, 3, 3], [1, 2, 3, 1, 2, 3, 1, 2, 3],
         [1, 2, 3, 1, 1, 2, 0, 2, 1], [2, 2, 2, nil, nil, nil, nil, nil, nil])
    }

    static func error(_ input: BaconInput, _ options: BaconOptions = BaconOptions()) -> BaconError? {
        do {
            _ = try BaconDecomposition.compute(input, options: options)
            return nil
        } catch {
            return error
        }
    }

    static func expectError(_ input: BaconInput, _ code: BaconError.Code, mentions words: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let error = Self.error(input)
        #expect(error?.code == code, sourceLocation: sourceLocation)
        for word in words {
            #expect(error?.message.contains(word) == true, "\(error?.message ?? "no error") lacks \(word)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func baseIsValid() throws {
        let r = Self.rows()
        _ = try BaconDecomposition.compute(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: r.cohort))
    }

    @Test func shapeErrors() {
        let r = Self.rows()
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: Array(r.outcome.dropLast()), cohort: r.cohort),
                         .lengthMismatch, mentions: ["outcome 8"])
        Self.expectError(BaconInput(unit: [], time: [], outcome: [], cohort: []), .emptyInput, mentions: [])
        Self.expectError(BaconInput(unit: [1, 2], time: [5, 5], outcome: [0, 1], cohort: [5, nil]),
                         .tooFewPeriods, mentions: ["5"])
        Self.expectError(BaconInput(unit: [4, 4], time: [1, 2], outcome: [0, 1], cohort: [2, 2]),
                         .tooFewUnits, mentions: ["4"])
    }

    @Test func unbalancedNamesTheMissingUnitAndPeriod() {
        var r = Self.rows()
        r.unit.remove(at: 4); r.time.remove(at: 4); r.outcome.remove(at: 4); r.cohort.remove(at: 4)
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: r.cohort),
                         .unbalancedPanel, mentions: ["unit 2", "period 2", "9 rows expected, 8 found"])
    }

    @Test func duplicates() {
        // Same row count as a balanced panel: one unit-period twice, another missing.
        var r = Self.rows()
        r.time[4] = 3
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: r.cohort),
                         .duplicateRow, mentions: ["unit 2", "period 3", "rows 5 and 6"])
        // One extra row.
        r = Self.rows()
        r.unit.append(3); r.time.append(1); r.outcome.append(0); r.cohort.append(nil)
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: r.cohort),
                         .duplicateRow, mentions: ["unit 3", "period 1", "rows 7 and 10"])
    }

    @Test func rowErrors() {
        var r = Self.rows()
        r.cohort[2] = 3
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: r.cohort),
                         .inconsistentCohort, mentions: ["unit 1", "2", "3", "row 3"])
        r = Self.rows()
        r.outcome[7] = .nan
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: r.cohort),
                         .nonFiniteOutcome, mentions: ["unit 3", "period 2", "row 8"])
    }

    @Test("no unit changes treatment inside the window", arguments: [
        [Int?](repeating: nil, count: 9),  // all never treated
        [Int?](repeating: 1, count: 9),  // all treated in the first period
        [0, 0, 0, nil, nil, nil, 9, 9, 9],  // always, never, and after the last period
    ])
    func noSwitchers(cohort: [Int?]) {
        let r = Self.rows()
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: cohort),
                         .noIdentifyingVariation, mentions: ["no unit changes treatment", "1–3"])
    }

    @Test func oneCohortAndNothingElse() {
        let r = Self.rows()
        Self.expectError(BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: [Int?](repeating: 2, count: 9)),
                         .noIdentifyingVariation, mentions: ["every unit is first treated in 2"])
    }

    /// One cohort against always-treated units only is identified (they are a valid, if
    /// already-treated, control), in both conventions.
    @Test(arguments: BaconOptions.AlwaysTreated.allCases)
    func oneCohortAgainstAlwaysTreated(always: BaconOptions.AlwaysTreated) throws {
        let r = Self.rows()
        let input = BaconInput(unit: r.unit, time: r.time, outcome: r.outcome, cohort: [2, 2, 2, 1, 1, 1, 1, 1, 1])
        let result = try BaconDecomposition.compute(input, options: BaconOptions(alwaysTreated: always))
        #expect(result.comparisons.count == 1)
        #expect(result.comparisons.first?.kind == (always == .separateGroup ? .laterVsEarlier : .treatedVsNever))
        #expect(abs(result.weightedSum - result.twfeEstimate) < 1e-14)
    }

    @Test func descriptionIsTheMessage() {
        let error = BaconError(.emptyInput, "the panel has no rows")
        #expect(error.description == "the panel has no rows")
    }
}
