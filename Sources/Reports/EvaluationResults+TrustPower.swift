import Primitives

extension EvaluationResults {
    /// The minimum detectable effect of one headline's design (EvaluationRunner+TrustPower).
    public struct HeadlinePower: Sendable {
        public var programme: String, outcome: String
        public var treated: Int, controls: Int
        /// Periods before and from the (median) start period.
        public var pre: Int, post: Int, start: Int
        /// Whether supported units started in different periods (the MDE then assumes one start).
        public var staggered: Bool
        /// The effect detected with 80% power by a two-sided test at `significance`.
        public var mde: Double
        public var estimate: Double
        public var significance: Double
        public var failure: String?
    }

    /// One plain sentence per headline: the effect its design detects, against the estimate.
    var designPowerSentences: [String] {
        designPower.map { line in
            let head = "\(line.programme) × \(line.outcome)"
            if let failure = line.failure { return "\(head): no minimum detectable effect (\(failure))." }
            let mde = NumberFormat.significant(line.mde, digits: 3)
            let years = "\(line.pre) \(spec.periodNoun)s before and \(line.post) from support" + (line.staggered ? " (as if all started in \(line.start), the median start)" : "")
            let reading = abs(line.estimate) >= line.mde
                ? "the estimate (\(NumberFormat.significant(line.estimate, digits: 3))) is at least that large"
                : "the estimate (\(NumberFormat.significant(line.estimate, digits: 3))) is smaller: a design of this size could easily miss an effect that small"
            return "\(head): with \(line.treated) supported and \(line.controls) never-supported \(unitsNoun) and \(years), the design detects an effect of \(mde) with 80% power at the \(NumberFormat.significant(line.significance * 100, digits: 3))% level; \(reading)."
        }
    }
}
