import Foundation
import PanelData
import Power
import QuipuTestSupport
import Testing

/// The analytic MDE against Tests/Fixtures/power/power_reference.json (make_power_reference.py):
/// diff-diff 3.13.0's `PowerAnalysis` for equicorrelated errors, BPW's general formula checked
/// there against a dense variance computation, and pcpanel's residual-based formula on pilot.csv.
@Suite struct DesignPowerReferenceTests {
    struct Reference: Decodable {
        struct Equicorrelated: Decodable {
            let treated, controls, pre, post: Int
            let sigma, rho, alpha, power, effect, mde: Double
            let power_at_effect: Double
        }
        struct General: Decodable {
            let label: String
            let treated, controls, pre, post: Int
            let variance, pre_covariance, post_covariance, cross_covariance: Double
            let dense_variance, std_error, mde, power_at_effect, effect: Double
        }
        struct Pilot: Decodable {
            let treated, controls, pre, post, windows: Int
            let variance, pre_covariance, post_covariance, cross_covariance, pilot_units: Double
            let std_error, mde, true_std_error: Double
        }
        let diff_diff_equicorrelated: [Equicorrelated]
        let general: [General]
        let pilot: [Pilot]
    }

    static let reference = Result { try Fixture.decode(Reference.self, from: "Tests/Fixtures/power/power_reference.json") }

    @Test func equicorrelatedErrorsWithNormalCriticalValuesEqualDiffDiff() throws {
        let cases = try Self.reference.get().diff_diff_equicorrelated
        #expect(cases.count == 4)
        for c in cases {
            let design = try DesignPower(treated: c.treated, controls: c.controls, prePeriods: c.pre, postPeriods: c.post,
                                         errors: .equicorrelated(variance: c.sigma * c.sigma, correlation: c.rho),
                                         significance: c.alpha, criticalValues: .normal)
            expectClose(try design.minimumDetectableEffect(power: c.power), c.mde, relative: 1e-9)
            expectClose(design.power(effect: c.effect), c.power_at_effect, relative: 1e-8)
        }
    }

    @Test func generalSerialCorrelationEqualsTheDenseVarianceAndTCriticalValues() throws {
        let cases = try Self.reference.get().general
        #expect(cases.count == 3)
        for c in cases {
            let errors = ErrorCovariance(variance: c.variance, preCovariance: c.pre_covariance,
                                         postCovariance: c.post_covariance, crossCovariance: c.cross_covariance)
            let design = try DesignPower(treated: c.treated, controls: c.controls, prePeriods: c.pre, postPeriods: c.post, errors: errors)
            expectClose(design.periodVariance, c.dense_variance, relative: 1e-10)
            expectClose(design.standardError, c.std_error, relative: 1e-10)
            expectClose(try design.minimumDetectableEffect(power: 0.8), c.mde, relative: 1e-8)
            expectClose(design.power(effect: c.effect), c.power_at_effect, relative: 1e-7)
        }
    }

    @Test func autoregressiveShortcutEqualsTheAveragesOfItsMatrix() throws {
        let c = try #require(try Self.reference.get().general.first { $0.label == "ar1" })
        let errors = ErrorCovariance.autoregressive(variance: 1.3, correlation: 0.6, pre: c.pre, post: c.post)
        expectClose(errors.preCovariance, c.pre_covariance, relative: 1e-12)
        expectClose(errors.postCovariance, c.post_covariance, relative: 1e-12)
        expectClose(errors.crossCovariance, c.cross_covariance, relative: 1e-12)
    }

    @Test func pilotCalibrationEqualsPcpanelsResidualFormula() throws {
        let cases = try Self.reference.get().pilot
        #expect(cases.count == 4)
        let table = try CSVReader.read(path: Fixture.path("Tests/Fixtures/power/pilot.csv"))
        let structure = try PanelStructure(table: table, unit: "firm", time: "year")
        guard case let .numeric(outcome)? = table.column(named: "y") else { Issue.record("pilot.csv: no numeric y"); return }
        for c in cases {
            let errors = try ErrorCovariance(pilot: structure, outcome: outcome, pre: c.pre, post: c.post)
            expectClose(errors.variance, c.variance, relative: 1e-10)
            if c.pre > 1 { expectClose(errors.preCovariance, c.pre_covariance, relative: 1e-9) }
            if c.post > 1 { expectClose(errors.postCovariance, c.post_covariance, relative: 1e-9) }
            expectClose(errors.crossCovariance, c.cross_covariance, relative: 1e-9)
            guard case let .pilot(units, windows) = errors.origin else { Issue.record("not a pilot estimate"); return }
            expectClose(units, c.pilot_units, relative: 1e-12)
            #expect(windows == c.windows)
            let design = try DesignPower(treated: c.treated, controls: c.controls, prePeriods: c.pre, postPeriods: c.post, errors: errors)
            expectClose(design.standardError, c.std_error, relative: 1e-9)
            expectClose(try design.minimumDetectableEffect(power: 0.8), c.mde, relative: 1e-8)
            // The pilot's AR(1) errors are known: the calibrated SE is within 5% of the true one.
            #expect(abs(design.standardError / c.true_std_error - 1) < 0.05)
        }
    }

    @Test func impossibleDesignsAreRefusedByName() {
        let errors = ErrorCovariance.independent(variance: 1)
        #expect(throws: PowerError.treatedFirms(0)) { try DesignPower(treated: 0, controls: 500, prePeriods: 5, postPeriods: 3, errors: errors) }
        #expect(throws: PowerError.prePeriods(0)) { try DesignPower(treated: 48, controls: 500, prePeriods: 0, postPeriods: 3, errors: errors) }
        #expect(throws: PowerError.significance(1)) { try DesignPower(treated: 48, controls: 500, prePeriods: 5, postPeriods: 3, errors: errors, significance: 1) }
        #expect(throws: PowerError.power(0)) {
            try DesignPower(treated: 48, controls: 500, prePeriods: 5, postPeriods: 3, errors: errors).minimumDetectableEffect(power: 0)
        }
        // ψˣ above what the within-side covariances allow makes the DiD variance negative.
        let impossible = ErrorCovariance(variance: 1, preCovariance: 0, postCovariance: 0, crossCovariance: 0.9)
        #expect(throws: PowerError.self) { try DesignPower(treated: 48, controls: 500, prePeriods: 5, postPeriods: 3, errors: impossible) }
    }
}
