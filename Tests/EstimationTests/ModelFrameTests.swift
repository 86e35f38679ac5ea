import Estimation
import Foundation
import Inference
import Testing

@Suite struct ModelFrameTests {
    @Test func singletonsAreRemovedRecursively() throws {
        // Firm 3 has one row: a singleton. Removing it leaves year 2003 with one row (firm 4's), whose
        // removal leaves firm 4 with one row: removal must repeat until none is left.
        let csv = """
            firm,year,x,y
            1,2001,1.0,2.0
            1,2002,2.0,3.5
            2,2001,1.5,2.5
            2,2002,0.5,1.0
            3,2003,4.0,1.0
            4,2002,3.0,6.5
            4,2003,2.0,5.0
            """
        let fit = try fitText(csv, formula: "y ~ x | firm + year")
        #expect(fit.droppedSingletons == 3)
        #expect(fit.observationCount == 4)
        let kept = try fitText(csv, formula: "y ~ x | firm + year", removeSingletons: false)
        #expect(kept.observationCount == 7)
        #expect(relativeDifference(kept.coefficients[0], fit.coefficients[0]) < 1e-10, "singletons carry no information on slopes")
    }

    @Test func missingValuesAreDroppedAndCounted() throws {
        let csv = "y,x\n1,2\n2,NA\n3,5\n,4\n4.5,7\n5,8\n"
        let fit = try fitText(csv, formula: "y ~ x")
        #expect(fit.droppedMissing == 2)
        #expect(fit.observationCount == 4)
    }

    @Test func logOfNonPositiveDropsRow() throws {
        let fit = try fitText("y,x\n1,2\n2,0\n3,5\n4,6\n4,9\n", formula: "y ~ log(x)")
        #expect(fit.droppedMissing == 0, "log of zero is counted under its own reason, not as missing")
        #expect(fit.droppedUndefinedTransforms.map(\.reason) == ["log of zero or negative"])
        #expect(fit.droppedUndefinedTransforms.map(\.rows) == [1])
        #expect(fit.coefficientNames == ["(Intercept)", "log(x)"])
    }

    @Test func exactCollinearityDropsTheLaterColumn() throws {
        var lines = ["y,a,b,c"]
        for index in 0..<30 {
            let a = Double(index % 7), b = Double((index * 5) % 11)
            lines.append("\(Double(index) * 0.3 + a),\(a),\(b),\(a + 2 * b)")
        }
        let fit = try fitText(lines.joined(separator: "\n"), formula: "y ~ a + b + c")
        #expect(fit.collinearNames == ["c"])
        #expect(fit.coefficientNames == ["(Intercept)", "a", "b"])
    }

    @Test func indicatorNamesFollowFixest() throws {
        var lines = ["y,year,treat,sector"]
        let sectors = ["grains", "fruit", "herbs"]
        for index in 0..<60 {
            lines.append("\(Double(index % 13) * 0.7 + Double(index % 4)),\(2010 + index % 4),\((index / 4) % 2),\(sectors[index % 3])")
        }
        let csv = lines.joined(separator: "\n")
        let fit = try fitText(csv, formula: "y ~ i(year, treat, ref = 2011) + i(sector, ref = \"grains\")")
        #expect(fit.coefficientNames == ["(Intercept)", "year::2010:treat", "year::2012:treat", "year::2013:treat", "sector::fruit", "sector::herbs"])
    }

    @Test func regressorAbsorbedByFixedEffectsIsDroppedAndNamed() throws {
        // As fixest: the absorbed regressor is dropped (named among the collinear), the rest fitted.
        let csv = "firm,year,size,x,y\n1,1,3,0.5,1\n1,2,3,1.5,2\n2,1,5,0.2,2\n2,2,5,2.0,4\n3,1,2,0.9,0\n3,2,2,1.1,3\n"
        let fit = try fitText(csv, formula: "y ~ x + size | firm + year")
        #expect(fit.coefficientNames == ["x"])
        #expect(fit.absorbedNames == ["size"])
        #expect(fit.collinearNames == ["size"])
        let without = try fitText(csv, formula: "y ~ x | firm + year")
        #expect(relativeDifference(fit.coefficients[0], without.coefficients[0]) < 1e-10)
        #expect(fit.parameterCount == without.parameterCount, "a dropped regressor costs no degree of freedom")
        let error = #expect(throws: EstimationError.self) { try fit.coefficientIndex("size") }
        #expect(error?.message.contains("'size'") == true && error?.message.contains("absorbed") == true)
    }

    @Test func outcomeWithoutVariationIsAnError() throws {
        let error = #expect(throws: EstimationError.self) { try fitText("y,x\n2,1\n2,3\n2,4\n", formula: "y ~ x") }
        #expect(error?.message.contains("no variation") == true)
    }

    @Test func nonConvergenceIsReported() throws {
        let panel = syntheticPanelCSV(firms: 80, years: 9, seed: 11)
        let parsed = try Formula.ModelFormula.parse("y ~ x1 | firm + year + region")
        let table = try Array(panel.utf8).withUnsafeBytes { try PanelData.CSVReader.read(bytes: $0, source: "p.csv", options: .init()) }
        let frame = try ModelFrame(table: table, formula: parsed)
        let options = LinearModelOptions(fixedEffectTolerance: 1e-14, fixedEffectMaxIterations: 2)
        let error = #expect(throws: EstimationError.self) { try LinearModel.fit(frame, options: options) }
        #expect(error?.message.contains("did not converge") == true)
    }
}

import Formula
import PanelData
