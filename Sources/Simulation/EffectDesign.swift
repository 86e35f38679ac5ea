/// The true programme effects: log shifts that differ by cohort, build up with time since
/// support, and scale with firm size.
///
/// For programme p, cohort g, outcome o and year t >= g the log effect on firm i is
///
///     slope_p,o × cohortFactor_p(g) × sizeMultiplier(size_i) × responsiveness_i × min(t − g + 1, cap_p)
///
/// and zero before g (no anticipation). Early PUM cohorts gain more per year than late ones and
/// effects grow for `cap` years, exactly the pattern under which a static two-way fixed-effects
/// regression mixes in "forbidden" comparisons (already-treated firms as controls) and is
/// biased, while cohort-by-year estimators are not. PUM has no effect on permanent jobs: the
/// report says missions target efficiency, which "does not necessarily lead to more employment".
public enum EffectDesign {
    /// Years over which PUM effects build up before levelling off.
    public static let pumCap = 5
    /// Years over which CBI effects build up (2015–2017) before levelling off.
    public static let cbiCap = 3

    /// The yearly slope of each outcome's log effect for a reference (small, cohortFactor 1) firm.
    public static func slope(_ programme: Programme, _ outcome: Outcome) -> Double {
        switch (programme, outcome) {
        case (.pum, .exportEU): 0.05
        case (.pum, .exportNonEU): 0.06
        case (.pum, .empPermanent): 0
        case (.pum, .empTemporary): 0.03
        case (.pum, .sales): 0.04
        case (.cbi, .exportEU): 0.10
        case (.cbi, .exportNonEU): 0.04
        case (.cbi, .empPermanent): 0.025
        case (.cbi, .empTemporary): 0.05
        case (.cbi, .sales): 0.02
        }
    }

    /// How strongly a cohort responds: PUM missions of 2004 gain 1.5 times the reference slope,
    /// falling linearly to 0.5 times for 2017 (the early missions went to more receptive firms
    /// and the sector was growing faster); CBI has the single cohort 2015.
    public static func cohortFactor(_ programme: Programme, cohort: Int) -> Double {
        switch programme {
        case .cbi:
            return 1
        case .pum:
            let position = Double(cohort - 2004) / 13
            return min(1.5, max(0.5, 1.5 - position))
        }
    }

    /// Larger firms gain more: the report notes that firms with two or three employees cannot
    /// spare anyone for workshops or fairs.
    public static func sizeMultiplier(_ size: SizeClass) -> Double {
        switch size {
        case .micro: 0.5
        case .small: 1.0
        case .medium, .large: 1.3
        }
    }

    /// The build-up cap of a programme.
    public static func cap(_ programme: Programme) -> Int {
        programme == .pum ? pumCap : cbiCap
    }

    /// The log effect of one programme on one firm in one year, for every outcome component,
    /// times `scale` (`--effect-scale`; 1 leaves every bit as it was, 0 removes all effects).
    static func shifts(_ programme: Programme, cohort: Int, year: Int, firm: Firm, scale: Double) -> LogShifts {
        guard cohort > 0, year >= cohort else { return .zero }
        let exposure = Double(min(year - cohort + 1, cap(programme)))
        let factor = cohortFactor(programme, cohort: cohort) * sizeMultiplier(firm.sizeClass)
            * firm.responsiveness * exposure * scale
        return LogShifts(
            exportEU: slope(programme, .exportEU),
            exportNonEU: slope(programme, .exportNonEU),
            empPermanent: slope(programme, .empPermanent),
            empTemporary: slope(programme, .empTemporary),
            domesticSales: slope(programme, .sales)
        ).scaled(by: factor)
    }
}
