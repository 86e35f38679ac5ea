// The Goodman-Bacon decomposition of a `quipu did` design's TWFE estimate: the design's rows with
// the outcome, in the decomposition's input shape. It is a diagnostic of TWFE (run by
// `TwoWayFixedEffectsEstimator` with `--decompose`, and by the auto headline), not an estimator.

import PanelData

extension BaconDecomposition {
    /// Decomposes the TWFE estimate of `design`. It needs a balanced panel with the outcome present
    /// everywhere (as in the paper); otherwise the error names a missing unit and period, and the
    /// user can balance the panel first.
    init(design: DiDDesign) throws {
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        let rows = (0..<structure.rowCount).filter { !outcome[$0].isNaN }
        // Integer unit ids keep their own numbers, so that messages name the user's units.
        let labels = structure.unitLabels.enumerated().map { Int($1) ?? $0 }
        let distinct = Set(labels).count == labels.count
        let input = BaconInput(unit: rows.map { distinct ? labels[Int(structure.unitCodes[$0])] : Int(structure.unitCodes[$0]) }, time: rows.map { structure.periods[$0] },
                               outcome: rows.map { outcome[$0] },
                               cohort: rows.map { structure.cohorts[Int(structure.unitCodes[$0])] })
        do {
            self = try BaconDecomposition.compute(input)
        } catch {
            throw PanelError("\(structure.source): the Bacon decomposition needs a balanced panel with '\(design.options.outcome)' present in every unit and period (add --balance to keep the units observed throughout): \(error.description)")
        }
    }
}
