import ArgumentParser
import DiD

extension DidCommand {
    /// Whether the chosen estimator gives distributional (quantile) effects.
    var isDistributional: Bool { [.cic, .qdid, .qtt].contains(design.estimator) }

    /// The options that do or do not go with the distributional estimators.
    func validateDistributional() throws {
        guard isDistributional else {
            if distributional.qtePlot != nil { throw ValidationError("--qte-plot draws quantile effects: add --estimator cic, qdid or qtt") }
            return
        }
        if inference.bootstrap != nil {
            throw ValidationError("--bootstrap multiplier is Callaway–Sant'Anna's; --estimator \(design.estimator.rawValue) always resamples units (--reps, --seed; --reps 0 for estimates alone)")
        }
        // These estimators compare each period with the one before and aggregate simple, dynamic and
        // group only: an option they would ignore is refused rather than silently dropped.
        if callawaySantAnna.basePeriod == .universal {
            throw ValidationError("--base-period universal: --estimator \(design.estimator.rawValue) compares each period with the one before (the varying base period) only")
        }
        if callawaySantAnna.aggregate.kinds.contains(.calendar) {
            throw ValidationError("--aggregate calendar: --estimator \(design.estimator.rawValue) aggregates simple, dynamic and group only")
        }
        let level = inference.level
        let smallest = max(19, Int((1 / (1 - level)).rounded(.up)) - 1)
        guard inference.reps == 0 || (inference.reps >= smallest && inference.reps <= 1_000_000) else {
            throw ValidationError("--reps \(inference.reps): the unit bootstrap needs 0 (no standard errors) or \(smallest) to 1,000,000 replicates (999 is usual)")
        }
        if let path = distributional.qtePlot, !path.lowercased().hasSuffix(".svg") { throw ValidationError("--qte-plot writes SVG: give a path ending in .svg") }
    }
}
