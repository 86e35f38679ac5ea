import Primitives

/// Running sums of treated-minus-untreated outcomes, turned into `SimulationTruth` at the end.
///
/// All sums are formed in record order and all groupings are read back in sorted key order:
/// Swift's dictionary order changes between runs, and floating-point sums depend on order.
struct TruthAccumulator {
    /// Sums for one group of firm-years and one outcome.
    struct Sums {
        var n = 0
        var positive = 0
        var logSum = 0.0
        var levelSum = 0.0
        /// Sums of Y₁ and of Y₀, zeros included, for the ratio of means. The outcomes are whole
        /// numbers, so these sums are exact (below 2^53, about 9·10^15) and need no fixed order.
        var treatedTotal = 0.0
        var untreatedTotal = 0.0

        mutating func add(treated: Int64, untreated: Int64) {
            n += 1
            levelSum += Double(treated - untreated)
            treatedTotal += Double(treated)
            untreatedTotal += Double(untreated)
            if treated > 0, untreated > 0 {
                positive += 1
                logSum += DeterministicMath.log(Double(treated)) - DeterministicMath.log(Double(untreated))
            }
        }

        static func + (lhs: Sums, rhs: Sums) -> Sums {
            Sums(n: lhs.n + rhs.n, positive: lhs.positive + rhs.positive,
                 logSum: lhs.logSum + rhs.logSum, levelSum: lhs.levelSum + rhs.levelSum,
                 treatedTotal: lhs.treatedTotal + rhs.treatedTotal,
                 untreatedTotal: lhs.untreatedTotal + rhs.untreatedTotal)
        }

        var effect: SimulationTruth.Effect {
            // Both means share the denominator n, so their ratio is the ratio of the totals.
            SimulationTruth.Effect(
                n: n, nPositive: positive,
                logEffect: positive > 0 ? logSum / Double(positive) : nil,
                levelEffect: n > 0 ? levelSum / Double(n) : nil,
                meanTreated: n > 0 ? treatedTotal / Double(n) : nil,
                meanUntreated: n > 0 ? untreatedTotal / Double(n) : nil,
                logRatioOfMeans: untreatedTotal > 0 && treatedTotal > 0
                    ? DeterministicMath.log(treatedTotal / untreatedTotal) : nil)
        }
    }

    private struct CellKey: Hashable, Comparable {
        let programme: Int
        let cohort: Int
        let year: Int
        static func < (lhs: CellKey, rhs: CellKey) -> Bool {
            (lhs.programme, lhs.cohort, lhs.year) < (rhs.programme, rhs.cohort, rhs.year)
        }
    }

    /// Cohorts up to this year have no untreated year in the panel, so no estimator can recover
    /// their effects; their cells are listed but left out of every aggregate.
    let firstYear: Int
    private var cells: [CellKey: [Sums]] = [:]
    private var bySize: [Int: [Int: [Sums]]] = [:]
    private var cohortFirms: [Int: [Int: Set<Int>]] = [:]
    /// Y₁ and Y₀ of every aggregated treated firm-year, by programme and outcome, for the quantile
    /// effects (sorted before use, so the record order does not matter).
    private var potentialOutcomes: [Int: [Int: (treated: [Int64], untreated: [Int64])]] = [:]
    private static let empty = Array(repeating: Sums(), count: Outcome.allCases.count)

    /// An empty accumulator for a panel whose first year is `firstYear`.
    init(firstYear: Int) { self.firstYear = firstYear }

    /// Counts the firm towards its cohorts' sizes.
    mutating func noteFirm(_ record: FirmYearRecord) {
        for programme in Programme.allCases where record.cohort(programme) > 0 {
            cohortFirms[programme.rawValue, default: [:]][record.cohort(programme), default: []].insert(record.firmID)
        }
    }

    /// Adds one treated firm-year's potential outcomes for `programme`.
    mutating func add(_ programme: Programme, record: FirmYearRecord, treated: OutcomeValues, untreated: OutcomeValues) {
        let key = CellKey(programme: programme.rawValue, cohort: record.cohort(programme), year: record.year)
        var sums = cells[key] ?? Self.empty
        var sizeSums = bySize[programme.rawValue]?[record.sizeClass.rawValue] ?? Self.empty
        for outcome in Outcome.allCases {
            sums[outcome.rawValue].add(treated: treated[outcome], untreated: untreated[outcome])
            sizeSums[outcome.rawValue].add(treated: treated[outcome], untreated: untreated[outcome])
        }
        cells[key] = sums
        if key.cohort > firstYear {
            bySize[programme.rawValue, default: [:]][record.sizeClass.rawValue] = sizeSums
            for outcome in Outcome.allCases {
                potentialOutcomes[programme.rawValue, default: [:]][outcome.rawValue, default: ([], [])].treated.append(treated[outcome])
                potentialOutcomes[programme.rawValue, default: [:]][outcome.rawValue, default: ([], [])].untreated.append(untreated[outcome])
            }
        }
    }

    /// The cells and every aggregate.
    func finish() -> SimulationTruth {
        let keys = cells.keys.sorted()
        var cellList: [SimulationTruth.Cell] = []
        for key in keys {
            guard let programme = Programme(rawValue: key.programme), let sums = cells[key] else { continue }
            for outcome in Outcome.allCases {
                cellList.append(SimulationTruth.Cell(
                    programme: programme, cohort: key.cohort, year: key.year, outcome: outcome,
                    aggregated: key.cohort > firstYear, effect: sums[outcome.rawValue].effect))
            }
        }
        var aggregates: [SimulationTruth.Aggregate] = []
        for programme in Programme.allCases {
            let programmeKeys = keys.filter { $0.programme == programme.rawValue && $0.cohort > firstYear }
            for outcome in Outcome.allCases {
                aggregates += aggregate(programme, outcome, keys: programmeKeys)
            }
        }
        var truth = SimulationTruth(cells: cellList, aggregates: aggregates)
        truth.quantileEffects = quantileEffects()
        return truth
    }

    /// Quantiles of Y₁ minus quantiles of Y₀ among the aggregated treated firm-years.
    private func quantileEffects() -> [SimulationTruth.QuantileEffect] {
        var effects = [SimulationTruth.QuantileEffect]()
        for programme in Programme.allCases {
            for outcome in Outcome.allCases {
                let values = potentialOutcomes[programme.rawValue]?[outcome.rawValue] ?? ([], [])
                let treated = values.treated.sorted(), untreated = values.untreated.sorted()
                let both = zip(values.treated, values.untreated).filter { $0.0 > 0 && $0.1 > 0 }
                let positiveTreated = both.map(\.0).sorted(), positiveUntreated = both.map(\.1).sorted()
                for tau in SimulationTruth.quantiles {
                    var level: Double? = nil, log: Double? = nil
                    if let y1 = EmpiricalQuantile.type1(treated, tau), let y0 = EmpiricalQuantile.type1(untreated, tau) { level = Double(y1 - y0) }
                    if let y1 = EmpiricalQuantile.type1(positiveTreated, tau), let y0 = EmpiricalQuantile.type1(positiveUntreated, tau) {
                        log = DeterministicMath.log(Double(y1)) - DeterministicMath.log(Double(y0))
                    }
                    effects.append(SimulationTruth.QuantileEffect(programme: programme, outcome: outcome, quantile: tau, levelEffect: level, logEffect: log))
                }
            }
        }
        return effects
    }

    private func aggregate(_ programme: Programme, _ outcome: Outcome, keys: [CellKey]) -> [SimulationTruth.Aggregate] {
        func make(_ kind: SimulationTruth.AggregateKind, _ sums: Sums, cohort: Int? = nil, eventTime: Int? = nil,
                  size: SizeClass? = nil) -> SimulationTruth.Aggregate {
            SimulationTruth.Aggregate(kind: kind, programme: programme, outcome: outcome, cohort: cohort,
                                      eventTime: eventTime, sizeClass: size, effect: sums.effect)
        }
        func pooled(_ subset: [CellKey]) -> Sums {
            subset.reduce(Sums()) { $0 + (cells[$1]?[outcome.rawValue] ?? Sums()) }
        }
        var result = [make(.simple, pooled(keys)), cohortSizeWeighted(programme, outcome, keys: keys)]
        let eventTimes = Set(keys.map { $0.year - $0.cohort }).sorted()
        result += eventTimes.map { e in make(.eventTime, pooled(keys.filter { $0.year - $0.cohort == e }), eventTime: e) }
        let cohorts = Set(keys.map(\.cohort)).sorted()
        result += cohorts.map { g in make(.cohort, pooled(keys.filter { $0.cohort == g }), cohort: g) }
        for size in SizeClass.allCases {
            guard let sums = bySize[programme.rawValue]?[size.rawValue]?[outcome.rawValue], sums.n > 0 else { continue }
            result.append(make(.sizeClass, sums, size: size))
        }
        return result
    }

    /// Cells weighted by their cohort's size rather than by their own counts.
    private func cohortSizeWeighted(_ programme: Programme, _ outcome: Outcome, keys: [CellKey]) -> SimulationTruth.Aggregate {
        var logNumerator = 0.0, logWeight = 0.0, levelNumerator = 0.0, levelWeight = 0.0
        var n = 0, positive = 0
        for key in keys {
            guard let sums = cells[key]?[outcome.rawValue] else { continue }
            let size = Double(cohortFirms[programme.rawValue]?[key.cohort]?.count ?? 0)
            n += sums.n
            positive += sums.positive
            if sums.positive > 0 {
                logNumerator += size * sums.logSum / Double(sums.positive)
                logWeight += size
            }
            if sums.n > 0 {
                levelNumerator += size * sums.levelSum / Double(sums.n)
                levelWeight += size
            }
        }
        let effect = SimulationTruth.Effect(
            n: n, nPositive: positive,
            logEffect: logWeight > 0 ? logNumerator / logWeight : nil,
            levelEffect: levelWeight > 0 ? levelNumerator / levelWeight : nil,
            meanTreated: nil, meanUntreated: nil, logRatioOfMeans: nil)
        return SimulationTruth.Aggregate(kind: .simpleCohortSize, programme: programme, outcome: outcome,
                                         cohort: nil, eventTime: nil, sizeClass: nil, effect: effect)
    }
}
