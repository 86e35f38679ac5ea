// The extended TWFE's time-invariant covariates, as Wooldridge (2021, §6; 2023, eq. 3.12) and
// `jwdid` enter them: each cell's indicator times the covariate centred at its cohort's mean
// (x − x̄_g, so that the cell coefficient is the effect at the cohort's mean), and the covariate
// times each period's dummy (its own trend). The covariate alone and its cohort interactions are
// constant within units, so the unit effects absorb them. diff-diff's `exovar` builds the same
// columns (its cohort mean over the cohort's rows, as here).

import PanelData
import Primitives

extension ExtendedTwoWayFixedEffectsEstimator {
    /// The covariates' values, refused unless numeric and constant within each unit; rows missing
    /// one are left out and counted.
    func covariateValues(design: DiDDesign, usable: inout [Bool], drops: inout [StaggeredSample.Drop]) throws -> [(name: String, values: [Double])] {
        let structure = design.timing.structure
        var covariates = [(name: String, values: [Double])]()
        for name in design.options.covariates {
            guard case let .numeric(values)? = design.sourceTable.column(named: name) else {
                throw PanelError("\(structure.source): covariate '\(name)' is not a numeric column; --estimator etwfe takes numeric, time-invariant covariates")
            }
            let missing = (0..<structure.rowCount).filter { usable[$0] && !values[$0].isFinite }
            if !missing.isEmpty {
                for row in missing { usable[row] = false }
                drops.append(.init(reason: "\(name): missing or not finite", rows: missing.count, units: Set(missing.map { structure.unitCodes[$0] }).count))
            }
            var first = [Int32: (value: Double, row: Int)]()
            for row in 0..<structure.rowCount where usable[row] {
                let unit = structure.unitCodes[row]
                if let seen = first[unit] {
                    guard seen.value == values[row] else {
                        throw PanelError("\(structure.source): covariate '\(name)' varies within unit \(structure.unitLabels[Int(unit)]) (\(NumberFormat.short4g(seen.value)) in row \(seen.row + 1), \(NumberFormat.short4g(values[row])) in row \(row + 1)); --estimator etwfe takes time-invariant covariates (use their first-period values)")
                    }
                } else {
                    first[unit] = (values[row], row)
                }
            }
            covariates.append((name, values))
        }
        return covariates
    }

    /// Each covariate centred at the mean of its cohort's usable rows (0 for never-treated rows).
    func centredCovariates(_ covariates: [(name: String, values: [Double])], usable: [Bool], structure: PanelStructure) -> [[Double]] {
        covariates.map { covariate in
            var sums = [Int: (total: Double, count: Double)]()
            for row in 0..<structure.rowCount where usable[row] {
                guard let g = structure.cohorts[Int(structure.unitCodes[row])] else { continue }
                sums[g, default: (0, 0)].total += covariate.values[row]
                sums[g, default: (0, 0)].count += 1
            }
            return (0..<structure.rowCount).map { row in
                guard let g = structure.cohorts[Int(structure.unitCodes[row])], let sum = sums[g], sum.count > 0 else { return 0 }
                return covariate.values[row] - sum.total / sum.count
            }
        }
    }
}
