import Power
import Primitives

/// What `quipu power` found: the design, its analytic MDE and power (Burlig, Preonas & Woerman
/// 2020), and the simulated power curve when one was run; as text, the JSON record and an SVG chart.
public struct PowerSummary: Sendable {
    /// The simulated curve and how it was made.
    public struct Simulated: Sendable {
        public var curve: PowerCurve
        /// "resample" or "peru".
        public var source: String
        public var estimator: String
        public var replicates: Int
        public var seed: UInt64
        public var seconds: Double

        public init(curve: PowerCurve, source: String, estimator: String, replicates: Int, seed: UInt64, seconds: Double) {
            self.curve = curve; self.source = source; self.estimator = estimator
            self.replicates = replicates; self.seed = seed; self.seconds = seconds
        }

        /// The unit of the curve's effects.
        var effectUnit: String { source == "peru" ? "effect_scale" : "outcome" }
    }

    public var design: DesignPower
    /// The pilot's file and outcome, when the errors were calibrated from one.
    public var dataSource: String?, outcome: String?
    public var targetPower: Double
    public var effect: Double?
    public var simulated: Simulated?

    public init(design: DesignPower, dataSource: String?, outcome: String?, targetPower: Double, effect: Double?, simulated: Simulated?) {
        self.design = design; self.dataSource = dataSource; self.outcome = outcome
        self.targetPower = targetPower; self.effect = effect; self.simulated = simulated
    }

    /// The analytic MDE (the target power is validated when the summary is made).
    public var minimumDetectableEffect: Double { (try? design.minimumDetectableEffect(power: targetPower)) ?? .nan }

    private func number(_ value: Double) -> String { NumberFormat.significant(value, digits: 4) }

    /// The plain-text report.
    public var text: String {
        let d = design, e = d.errors
        var lines = ["Power of a difference-in-differences design (Burlig, Preonas & Woerman 2020)"]
        lines.append("design: \(d.treated) treated and \(d.controls) control firms, \(d.prePeriods) years before and \(d.postPeriods) after support starts; two-sided test at α = \(number(d.significance)), power \(number(targetPower))")
        let covariances = "variance \(number(e.variance)), average covariance within pre-years \(number(e.preCovariance)), within post-years \(number(e.postCovariance)), across \(number(e.crossCovariance))"
        switch e.origin {
        case .given:
            lines.append("errors (given): " + covariances)
        case let .pilot(units, windows):
            lines.append("errors of \(outcome ?? "the outcome") in \(dataSource ?? "the pilot panel") after firm and year effects: " + covariances)
            lines.append("  (averaged over \(windows) window\(windows == 1 ? "" : "s") of \(d.prePeriods + d.postPeriods) consecutive years, \(number(units)) firms observed throughout each on average)")
        }
        let df = d.degreesOfFreedom.isFinite ? "t with \(number(d.degreesOfFreedom)) df" : "normal"
        lines.append("standard error of the DiD estimate: \(number(d.standardError)) (critical values: \(df))")
        lines.append("minimum detectable effect: \(number(minimumDetectableEffect))")
        if let effect { lines.append("power against an effect of \(number(effect)): \(number(d.power(effect: effect)))") }
        if let simulated {
            let unit = simulated.source == "peru" ? "effect scale (× the simulator's CBI effects)" : "effect added to the treated firms' post-years"
            let origin = simulated.source == "peru" ? "panels from the Peru simulator" : "panels resampled from the pilot"
            lines.append("")
            lines.append("simulated power: \(simulated.estimator) on \(simulated.replicates) \(origin) per effect (seed \(simulated.seed))")
            let header = ["effect", "power", "MC s.e.", "replicates", "failed", "mean estimate"]
            var rows = [header]
            for point in simulated.curve.points {
                rows.append([number(point.effect), NumberFormat.fixed(point.power, decimals: 3), NumberFormat.fixed(point.monteCarloError, decimals: 3),
                             String(point.replicates), String(point.failures), number(point.meanEstimate)])
            }
            let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                lines.append("  " + row.indices.map { NumberFormat.leftPad(row[$0], widths[$0]) }.joined(separator: "  "))
            }
            lines.append("  effect: \(unit)")
            if let mde = simulated.curve.minimumDetectableEffect {
                lines.append("simulated minimum detectable effect (interpolated at power \(number(targetPower))): \(number(mde))")
            } else {
                lines.append("simulated minimum detectable effect: the grid does not bracket power \(number(targetPower)); widen --effects")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON record.
    public var record: PowerRecord {
        let d = design, e = d.errors
        var pilotUnits: Double? = nil, windows: Int? = nil
        if case let .pilot(units, count) = e.origin { pilotUnits = units; windows = count }
        let analytic = PowerRecord.Analytic(
            errorsSource: pilotUnits == nil ? "given" : "pilot", variance: e.variance, preCovariance: e.preCovariance,
            postCovariance: e.postCovariance, crossCovariance: e.crossCovariance, pilotUnits: pilotUnits, windows: windows,
            criticalValues: d.criticalValues.rawValue, degreesOfFreedom: d.degreesOfFreedom.isFinite ? d.degreesOfFreedom : nil,
            standardError: d.standardError, mde: minimumDetectableEffect, effect: effect, powerAtEffect: effect.map { d.power(effect: $0) })
        let simulation = simulated.map { s in
            PowerRecord.Simulation(
                source: s.source, effectUnit: s.effectUnit, estimator: s.estimator, replicates: s.replicates, seed: s.seed,
                curve: s.curve.points.map {
                    PowerRecord.CurvePoint(effect: $0.effect, power: $0.power, monteCarloError: $0.monteCarloError,
                                           replicates: $0.replicates, failures: $0.failures, meanEstimate: $0.meanEstimate)
                },
                mde: s.curve.minimumDetectableEffect)
        }
        return PowerRecord(outcome: outcome, design: .init(treated: d.treated, controls: d.controls, prePeriods: d.prePeriods,
                                                           postPeriods: d.postPeriods, alpha: d.significance, power: targetPower),
                           analytic: analytic, simulation: simulation)
    }

    /// The power curve: simulated power (when run) and the analytic curve over the same effects
    /// (outcome units only), with the target power as a reference line.
    public var chart: LineChart {
        var series = [LineChart.Series]()
        var effects = simulated?.curve.points.map(\.effect) ?? []
        if effects.isEmpty {
            let mde = minimumDetectableEffect
            effects = (0...20).map { Double($0) / 10 * mde }
        }
        if let simulated {
            series.append(LineChart.Series(name: "simulated (\(simulated.estimator), \(simulated.replicates) replicates)",
                                           x: simulated.curve.points.map(\.effect), y: simulated.curve.points.map { $0.power }))
        }
        if simulated?.source != "peru" {
            series.append(LineChart.Series(name: "analytic (BPW 2020)", x: effects, y: effects.map { design.power(effect: $0) },
                                           dashed: simulated != nil, markers: false))
        }
        var chart = LineChart(title: "Power of the design" + (outcome.map { ": \($0)" } ?? ""),
                              xLabel: simulated?.source == "peru" ? "effect scale" : "effect", yLabel: "power",
                              series: series, horizontalLines: [(y: targetPower, label: "target")])
        chart.caption = "\(design.treated) treated, \(design.controls) control firms; \(design.prePeriods) pre, \(design.postPeriods) post years; α = \(number(design.significance))"
        return chart
    }
}
