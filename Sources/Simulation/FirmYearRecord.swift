/// One row of the simulated panel: a firm in a year it is present.
///
/// Column meanings (the CSV header order):
/// - `firm_id`: 1-based firm identifier.
/// - `year`: calendar year.
/// - `subsector`: `grains_pulses_nuts`, `functional_ingredients`, `fruit_ingredients`,
///   `herbs_spices` or `cocoa_coffee_derivatives` (fixed).
/// - `size_class`: `micro` (1–10 employees), `small` (11–50), `medium` (51–200) or `large`
///   (201+), from total employment in the firm's first simulated year, before any support (fixed).
/// - `founded`: founding year; firms founded after the first panel year enter the panel then.
/// - `applicant`: 1 if the firm applied to CBI in 2014, selected or not; `applicant` = 1 with
///   `cbi_start` = 0 marks an applicant not selected.
/// - `cbi_start`: 2014 for the firms that started CBI export coaching (including dropouts), else 0.
/// - `cbi_dropout`: 1 for CBI starters that dropped out; they leave the panel from 2015.
/// - `cbi_cohort`: 2015 (the first year CBI effects are possible) for CBI starters that stayed,
///   else 0. This is the treatment-timing variable for CBI.
/// - `cbi_treated`: 1 if `cbi_cohort` > 0 and `year` >= `cbi_cohort`, else 0.
/// - `pum_cohort`: year of the firm's first PUM mission (which defines its cohort), 0 if none.
/// - `pum_missions`: number of PUM missions up to and including `year` (0–3).
/// - `pum_treated`: 1 if `pum_cohort` > 0 and `year` >= `pum_cohort`, else 0. PUM effects start
///   in the mission year; later missions do not add to them.
/// - `export_eu`, `export_non_eu`: exports in whole USD; 0 in years without exports.
/// - `emp_permanent`, `emp_temporary`: head counts (permanent at least 1; temporary may be 0).
/// - `sales`: total sales in whole USD (domestic plus exports).
///
/// The five outcome fields are empty in the monitoring gap: 2014 for firms whose first PUM
/// mission was in or before 2014 and that did not start CBI (PUM data from June 2014 to April
/// 2015 are lost; CBI's 2014 baseline covers its own firms). Firm-years after a firm leaves the
/// panel (closure, or CBI dropout) are absent, not empty.
public struct FirmYearRecord: Sendable, Equatable {
    /// `firm_id`.
    public let firmID: Int
    /// `year`.
    public let year: Int
    /// `subsector`.
    public let subsector: Subsector
    /// `size_class`, fixed at entry.
    public let sizeClass: SizeClass
    /// `founded`.
    public let founded: Int
    /// `applicant`: applied to CBI in 2014.
    public let applicant: Bool
    /// `cbi_start`: 2014 for CBI starters, else 0.
    public let cbiStart: Int
    /// `cbi_dropout`: started CBI and dropped out.
    public let cbiDropout: Bool
    /// `cbi_cohort`: 2015 for CBI starters who stayed, else 0.
    public let cbiCohort: Int
    /// `pum_cohort`: year of the first PUM mission, else 0.
    public let pumCohort: Int
    /// `pum_missions`: PUM missions up to and including `year`.
    public let pumMissions: Int
    /// The observed outcomes, or nil in the monitoring gap.
    public let values: OutcomeValues?

    /// Whether CBI effects apply in this year.
    public var cbiTreated: Bool { cbiCohort > 0 && year >= cbiCohort }
    /// Whether PUM effects apply in this year.
    public var pumTreated: Bool { pumCohort > 0 && year >= pumCohort }

    /// The cohort of `programme`, 0 if the firm never gets its effects.
    public func cohort(_ programme: Programme) -> Int {
        programme == .cbi ? cbiCohort : pumCohort
    }

    /// Whether `programme`'s effects apply in this year.
    public func isTreated(_ programme: Programme) -> Bool {
        programme == .cbi ? cbiTreated : pumTreated
    }
}
