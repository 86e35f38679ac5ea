/// P-values at any hypothesised value, and confidence sets by inverting them.
extension WildClusterBootstrap {
    struct Inversion {
        let pieces: Pieces
        let summaries: [Double]
        let replicates: Int
        let type: BootstrapPValueType
        let imposeNull: Bool
        let kappa: Double

        /// The sample CRV1 t statistic of H0: R′β = r.
        func sampleStatistic(at r: Double) -> Double {
            let variance = kappa * pieces.sampleScores.reduce(0) { $0 + $1 * $1 }
            return (pieces.estimate - r) / variance.squareRoot()
        }

        /// Replicate b's t statistic under H0: R′β = r (WCU statistics do not depend on r).
        func bootstrapStatistic(_ b: Int, at r: Double) -> Double {
            let base = b * WildClusterBootstrap.summaryWidth
            let at = imposeNull ? r : 0
            let numerator = summaries[base] + at * summaries[base + 1]
            let squares = summaries[base + 2] + 2 * at * summaries[base + 3] + at * at * summaries[base + 4]
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
            var above = 0, below = 0, beyond = 0
            for b in 0..<replicates {
                let star = bootstrapStatistic(b, at: r)
                if abs(star) >= abs(t) - slack { beyond += 1 }
                if star <= t + slack { below += 1 }
                if star >= t - slack { above += 1 }
            }
            let count = Double(replicates)
            switch type {
            case .symmetric: return Double(beyond) / count
            case .equalTailed: return min(1, 2 * min(Double(below), Double(above)) / count)
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

        private func bound(alpha: Double, scale: Double, direction: Double) -> Double {
            var inside = pieces.estimate
            var step = scale
            var outside = inside + direction * step
            var expansions = 0
            while pValue(at: outside) > alpha && expansions < 60 {
                inside = outside
                step *= 2
                outside = inside + direction * step
                expansions += 1
            }
            guard expansions < 60 else { return direction * .infinity }
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
