/// P-values at any hypothesised value, and confidence sets by inverting them.
extension WildClusterBootstrap {
    struct Inversion {
        let pieces: Pieces
        let replicates: Int
        let type: BootstrapPValueType
        let imposeNull: Bool
        let kappa: Double
        /// The replicate summaries as separate columns (n0, n1, α, β, γ), so that the p-value loop,
        /// run some fifty times while inverting the test, reads them contiguously.
        let n0: [Double], n1: [Double], alpha: [Double], beta: [Double], gamma: [Double]

        init(pieces: Pieces, summaries: [Double], replicates: Int, type: BootstrapPValueType, imposeNull: Bool, kappa: Double) {
            self.pieces = pieces
            self.replicates = replicates
            self.type = type
            self.imposeNull = imposeNull
            self.kappa = kappa
            let width = WildClusterBootstrap.summaryWidth
            func column(_ offset: Int) -> [Double] { (0..<replicates).map { summaries[$0 * width + offset] } }
            n0 = column(0)
            n1 = column(1)
            alpha = column(2)
            beta = column(3)
            gamma = column(4)
        }

        /// The sample CRV1 t statistic of H0: R′β = r.
        func sampleStatistic(at r: Double) -> Double {
            let variance = kappa * pieces.sampleScores.reduce(0) { $0 + $1 * $1 }
            return (pieces.estimate - r) / variance.squareRoot()
        }

        /// Replicate b's t statistic under H0: R′β = r (WCU statistics do not depend on r).
        func bootstrapStatistic(_ b: Int, at r: Double) -> Double {
            let at = imposeNull ? r : 0
            let numerator = n0[b] + at * n1[b]
            let squares = alpha[b] + 2 * at * beta[b] + at * at * gamma[b]
            return numerator / (kappa * max(squares, 0)).squareRoot()
        }

        /// The bootstrap p-value of H0: R′β = r.
        func pValue(at r: Double) -> Double {
            let t = sampleStatistic(at: r)
            guard t.isFinite else { return .nan }
            // A replicate whose statistic equals the sample's counts as at least as extreme. Under
            // WCR the all-ones sign vector reproduces the sample exactly, so equality must survive
            // rounding: ties are judged to a relative 1e-10.
            let slack = 1e-10 * abs(t)
            let at = imposeNull ? r : 0
            let magnitude = abs(t) - slack, upper = t + slack, lower = t - slack
            var count = 0
            // The same arithmetic as bootstrapStatistic, over raw buffers and without branches; the
            // symmetric test compares squares, which needs neither the root nor the division.
            n0.withUnsafeBufferPointer { n0 in
            n1.withUnsafeBufferPointer { n1 in
            alpha.withUnsafeBufferPointer { alpha in
            beta.withUnsafeBufferPointer { beta in
            gamma.withUnsafeBufferPointer { gamma in
                switch type {
                case .symmetric:
                    // |n|/√(κs) ≥ m  ⇔  n² ≥ m²κs, except 0/0, which is no replicate's statistic.
                    let threshold = magnitude * magnitude * kappa
                    for b in 0..<replicates {
                        let numerator = n0[b] + at * n1[b]
                        let squares = max(alpha[b] + 2 * at * beta[b] + at * at * gamma[b], 0)
                        let extreme = numerator * numerator >= threshold * squares && (numerator != 0 || squares > 0)
                        count &+= extreme ? 1 : 0
                    }
                case .equalTailed:
                    var above = 0, below = 0
                    for b in 0..<replicates {
                        let numerator = n0[b] + at * n1[b]
                        let squares = alpha[b] + 2 * at * beta[b] + at * at * gamma[b]
                        let star = numerator / (kappa * max(squares, 0)).squareRoot()
                        below &+= star <= upper ? 1 : 0
                        above &+= star >= lower ? 1 : 0
                    }
                    count = min(below, above)
                }
            }}}}}
            switch type {
            case .symmetric: return Double(count) / Double(replicates)
            case .equalTailed: return min(1, 2 * Double(count) / Double(replicates))
            }
        }

        /// The confidence set at `level`: WCR by inverting p(r) = 1 − level on each side of the
        /// estimate (bracketing, then bisection); WCU by the bootstrap-t interval.
        func confidenceSet(level: Double) -> (Double, Double) {
            let alpha = 1 - level
            let scale = (kappa * pieces.sampleScores.reduce(0) { $0 + $1 * $1 }).squareRoot()
            guard scale > 0, scale.isFinite else { return (.nan, .nan) }
            if !imposeNull {
                let statistics = (0..<replicates).map { bootstrapStatistic($0, at: 0) }.sorted()
                switch type {
                case .symmetric:
                    let magnitudes = statistics.map(abs).sorted()
                    let critical = Self.quantile(magnitudes, 1 - alpha)
                    return (pieces.estimate - critical * scale, pieces.estimate + critical * scale)
                case .equalTailed:
                    return (pieces.estimate - Self.quantile(statistics, 1 - alpha / 2) * scale,
                            pieces.estimate - Self.quantile(statistics, alpha / 2) * scale)
                }
            }
            return (bound(alpha: alpha, scale: scale, direction: -1), bound(alpha: alpha, scale: scale, direction: 1))
        }

        /// Farthest a bound is searched for, in standard errors (2^20 ≈ 10⁶). With few clusters the
        /// p-value may never fall to α (2 clusters: 4 sign vectors, p ≥ 1/2), and far out rounding
        /// breaks the ties that keep it up, so a search without this limit stopped at a rounding
        /// artefact such as ±2·10¹³; a set that reaches a million standard errors is unbounded.
        static let boundSearchExpansions = 20

        private func bound(alpha: Double, scale: Double, direction: Double) -> Double {
            var inside = pieces.estimate
            var step = scale
            var outside = inside + direction * step
            var expansions = 0
            while pValue(at: outside) > alpha && expansions < Self.boundSearchExpansions {
                inside = outside
                step *= 2
                outside = inside + direction * step
                expansions += 1
            }
            guard expansions < Self.boundSearchExpansions else { return direction * .infinity }
            // p(r) is a step function of r; locating its crossing to 1e-7 standard errors is far
            // finer than the Monte Carlo error of the end points.
            for _ in 0..<80 {
                let middle = 0.5 * (inside + outside)
                if middle == inside || middle == outside || abs(outside - inside) < 1e-7 * scale { break }
                if pValue(at: middle) > alpha { inside = middle } else { outside = middle }
            }
            return 0.5 * (inside + outside)
        }

        static func quantile(_ sorted: [Double], _ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return sorted[index]
        }
    }
}
