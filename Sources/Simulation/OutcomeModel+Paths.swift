import Primitives

/// Latent yearly paths of a firm and the outcome values they imply.
extension OutcomeModel {
    /// One AR(1) series: starts from its stationary distribution, then follows innovations.
    private struct AR1 {
        let rho: Double
        let sd: Double
        var value = 0.0
        var started = false

        mutating func step(_ shock: Double) -> Double {
            if started {
                value = rho * value + sd * shock
            } else {
                value = sd * shock / (1 - rho * rho).squareRoot()
                started = true
            }
            return value
        }
    }

    /// The firm's latent state for every year from its entry to `lastYear`.
    ///
    /// Each year's shocks come from a stream keyed by (firm, year) and are drawn in a fixed
    /// order, so a year's state is the same however long the simulated history is.
    static func latentPath(for firm: Firm, seed: UInt64, shocks: [[Double]], historyStart: Int, lastYear: Int) -> [LatentYear] {
        guard firm.entry <= lastYear else { return [] }
        var employmentAR = AR1(rho: employmentNoise.rho, sd: employmentNoise.sd)
        var domesticAR = AR1(rho: domesticNoise.rho, sd: domesticNoise.sd)
        var exportARs = [AR1(rho: exportNoise.rho, sd: exportNoise.sd), AR1(rho: exportNoise.rho, sd: exportNoise.sd)]
        var participationARs = [
            AR1(rho: participationNoise.rho, sd: participationNoise.sd),
            AR1(rho: participationNoise.rho, sd: participationNoise.sd),
        ]
        let sector = shocks[firm.subsector.rawValue]
        let entryShock = sector[firm.entry - historyStart]
        let entryEmployment = employmentEffect(firm.entry)
        let entryValue = valuePerWorkerEffect(firm.entry)
        let levels = [
            logExportLevelEU + firm.exportLevelEU,
            logExportLevelNonEU + firm.exportLevelNonEU,
        ]
        let propensities = [
            participationEU + firm.exportPropensityEU,
            participationNonEU + firm.exportPropensityNonEU,
        ]
        var path: [LatentYear] = []
        path.reserveCapacity(lastYear - firm.entry + 1)
        for year in firm.entry...lastYear {
            var random = RandomStream(seed: seed, .firmYear, firm.id, year)
            let age = Double(year - firm.entry)
            let sectorShock = sector[year - historyStart] - entryShock
            let employmentTrend = employmentTrendShare * firm.growth * age
            let logEmployment = firm.logBaseEmployment + employmentTrend
                + employmentEffect(year) - entryEmployment + 0.5 * sectorShock
                + employmentAR.step(random.normal())
            // Sales components share employment's path plus value per worker, so that log sales
            // of exporters and non-exporters trend alike without support.
            let business = logEmployment + (firm.growth * age - employmentTrend)
                + valuePerWorkerEffect(year) - entryValue + 0.5 * sectorShock
            let logDomestic = logDomesticPerWorker + firm.productivity + business + domesticAR.step(random.normal())
            // Export levels follow the same path, with an elasticity of 0.5 to baseline size.
            let common = business - firm.logBaseEmployment + 0.5 * firm.sizeGap + 0.5 * firm.exportPotential
                + firm.subsector.exportLevelShift
            var exports: [Double?] = [nil, nil]
            for destination in 0..<2 {
                let level = levels[destination] + common + exportARs[destination].step(random.normal())
                let index = propensities[destination] + 1.1 * firm.exportPotential + 0.5 * firm.sizeGap
                    + participationARs[destination].step(random.normal())
                exports[destination] = index > 0 ? level : nil
            }
            path.append(LatentYear(
                logEmployment: logEmployment,
                temporaryNoise: random.normal(mean: 0, sd: 0.3),
                hasTemporary: random.nextUniform() < firm.temporaryPropensity,
                logDomestic: logDomestic,
                logExportEU: exports[0],
                logExportNonEU: exports[1]
            ))
        }
        return path
    }

    /// The outcome values of a latent state after the given support shifts (log points).
    ///
    /// Shifts multiply levels, and a zero stays zero, so a firm's exporting and temporary-hiring
    /// status is the same with and without support: the log-scale effect is defined exactly on
    /// the positive observations.
    static func values(_ latent: LatentYear, firm: Firm, shifts: LogShifts) -> OutcomeValues {
        let exportEU = latent.logExportEU.map { positiveAmount($0 + shifts.exportEU) } ?? 0
        let exportNonEU = latent.logExportNonEU.map { positiveAmount($0 + shifts.exportNonEU) } ?? 0
        let permanent = positiveAmount(latent.logEmployment + shifts.empPermanent, share: firm.permanentShare)
        let temporary = latent.hasTemporary
            ? positiveAmount(latent.logEmployment + latent.temporaryNoise + shifts.empTemporary, share: 1 - firm.permanentShare)
            : 0
        let domestic = positiveAmount(latent.logDomestic + shifts.domesticSales)
        return OutcomeValues(
            exportEU: exportEU, exportNonEU: exportNonEU,
            empPermanent: permanent, empTemporary: temporary,
            sales: domestic + exportEU + exportNonEU
        )
    }

    /// `share × e^logValue` rounded to a whole number, at least 1; logs are capped at about
    /// 10^12 so no draw can overflow.
    private static func positiveAmount(_ logValue: Double, share: Double = 1) -> Int64 {
        max(1, FixedPoint.wholeNumber(share * DeterministicMath.exp(min(logValue, 27.6))))
    }
}
