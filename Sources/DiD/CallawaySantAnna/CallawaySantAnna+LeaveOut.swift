// Leave-one-out influence functions for Callaway–Sant'Anna on panels with gaps (issue 21).
//
// Why. R did's analytic variance evaluates each ATT(g,t)'s influence function at the estimated
// means: a treated unit of cell k contributes (ΔYᵢ − Ȳ₁ₖ)/p₁, and the aggregate's variance is
// Σᵢ (Σₖ wₖψᵢₖ)² / n². Ȳ₁ₖ contains unit i itself, so E[(ΔYᵢ − Ȳ₁ₖ)(ΔYᵢ′ − Ȳ₁ₗ)] for a unit in
// cells k and l (sizes nₖ, nₗ, overlap m) is σₖₗ(1 − 1/nₖ − 1/nₗ + m/(nₖnₗ)) instead of σₖₗ.
// On a balanced panel every cell of a cohort holds the same n_g units, the bias is the familiar
// (n_g − 1)/n_g, and R did (and Quipu, for agreement) leave it. On a panel with gaps a cohort's
// cells hold different, partly overlapping subsets of its units, often only 1–4 of them (the
// Peru panel's PUM cohorts of 4–10 firms, half of them with temporary workers in a given year):
// the shortfall compounds over the cells sharing the base period g − 1, and on 40 simulated
// panels the mean SE of log temporary jobs was 0.047 against a spread of 0.062.
//
// What. Pairwise route: each unit's deviation is taken from the mean of the OTHER units of its
// group (treated or comparison) in the cell, ΔYᵢ − Ȳ₁ₖ₍₋ᵢ₎ = (ΔYᵢ − Ȳ₁ₖ)·m/(m − 1) for a group
// of m units; then E[rᵢₖ rᵢₗ] = σₖₗ(1 + (m′ − 1)/((nₖ − 1)(nₗ − 1))) ≥ σₖₗ (m′ the overlap):
// unbiased up to that small conservative term whatever the overlap. It is the HC3 (jackknife)
// correction of a group mean (MacKinnon & White 1985; leverage 1/m), and the counterpart of
// Borusyak, Jaravel & Spiess's leave-out τ̄ (did_imputation's `leaveout`;
// ImputationDiD+Variance.swift).
// Repeated cross-section route (R did's `allow_unbalanced_panel`, DRDID's `*_rc` influence
// functions, rows summed within units; a unit has at most one row in each of a cell's four
// group × period means): all post cells of a cohort share ONE base-period mean, whose variance
// the leave-out factor would overstate by m/(m − 1); its rows take √(m/(m − 1)) instead, the
// unbiased (HC1) factor of a mean, exact for means shared in full.
// Monte Carlo (Tests/DiDTests/UnbalancedVarianceTests, cohorts of 8, 35% of periods missing):
// mean SE / spread 1.02 pairwise (R did's in-sample: 0.70), 1.03 repeated cross-sections (0.90);
// the full leave-out factor there gave 1.20. On 40 Peru panels (log temporary jobs, PUM):
// pairwise 0.0665 against 0.0620.
// With covariates the factor uses the group-mean leverage 1/m, not the regression's: the same
// correction to first order. A group of one unit has no other member: its deviation is zero
// whatever the factor, so that side of the cell adds no variance (the unit still enters its other
// cells); when most cells hold one treated unit (cohorts of 4 with half the periods missing) the
// pairwise SE reaches only about 0.6 of the spread, and no estimate from the cell can do better.
//
// Balanced panels keep R did's numbers (`panel = TRUE`, Tests/Fixtures/staggered).

extension CallawaySantAnna {
    /// A row's group in a 2x2 comparison: treated or comparison unit, and for repeated
    /// cross-sections its period (base or current).
    struct LeaveOutGroup: Hashable {
        let treated: Bool
        let post: Bool
    }

    /// Each row's factor: m/(m − 1) for panel 2x2s, √(m/(m − 1)) for repeated cross-sections,
    /// m the rows of its group (1 for a group of one).
    static func leaveOutFactors(_ groups: [LeaveOutGroup], repeatedCrossSections: Bool) -> [Double] {
        var sizes = [LeaveOutGroup: Int]()
        for group in groups { sizes[group, default: 0] += 1 }
        return groups.map { group in
            let m = Double(sizes[group] ?? 1)
            guard m > 1 else { return 1 }
            return repeatedCrossSections ? (m / (m - 1)).squareRoot() : m / (m - 1)
        }
    }
}
