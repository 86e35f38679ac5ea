import DiD
import Foundation
import PanelData
import Primitives
import QuipuTestSupport
import Testing

/// The estimators' notes are typed diagnostics (issue 20, point 3): the report leaves out the
/// notes that only describe a method by their code, not by matching their words.
@Suite struct DidDiagnosticCodesTests {
    @Test("TWFE's and Callaway–Sant'Anna's method notes are descriptive; an option CS cannot apply is a design note")
    func estimatorNotesCarryCodes() throws {
        var options = DiDOptions(outcome: "lemp", covariance: .iid)
        options.estimator = .all
        let table = try DataReader.read(path: Fixture.path("Datasets/mpdta/mpdta.csv"), format: nil, options: CSVReadOptions())
        let results = try DiDAnalysis.run(table: table, unit: "countyreal", time: "year",
                                          treatment: .cohort("first.treat", neverTreated: nil), options: options)
        let twfe = try #require(results.staggered.first { $0.estimator == .twfe })
        #expect(twfe.notes.map(\.code) == [.descriptive])
        #expect(twfe.notes.first?.message.hasPrefix("TWFE compares later-treated") == true)
        let cs = try #require(results.staggered.first { $0.estimator == .callawaySantAnna })
        #expect(cs.notes.first { $0.code == .descriptive }?.message.hasPrefix("ATT(g,t) by ") == true)
        let design = cs.notes.filter { $0.code == .design }
        #expect(design.contains { $0.message.contains("--vcov iid applies to the regression estimators only") }, "\(cs.notes)")
        #expect(cs.notes.allSatisfy { $0.severity == .note })
    }

    @Test("the analysis's few-cluster and thin-lead warnings carry their code and severity, and read as before")
    func analysisNotesCarryCodes() throws {
        var options = DiDOptions(outcome: "lemp", covariance: .cluster(["year"]))
        options.estimator = .twfe
        options.eventStudy = true
        let table = try DataReader.read(path: Fixture.path("Datasets/mpdta/mpdta.csv"), format: nil, options: CSVReadOptions())
        let results = try DiDAnalysis.run(table: table, unit: "countyreal", time: "year",
                                          treatment: .cohort("first.treat", neverTreated: nil), options: options)
        let few = try #require(results.notes.first { $0.code == .fewClusters }, "\(results.notes)")
        #expect(few.severity == .warning && !few.message.hasPrefix("warning: "))
        #expect(few.noteText == "warning: " + few.message)
        #expect(results.text.contains("Note: warning: " + few.message))
        // mpdta's lead −4 rests on the 2007 cohort alone.
        let thin = try #require(results.pretrendWarnings.first { $0.code == .leadThin }, "\(results.pretrendWarnings)")
        #expect(thin.severity == .warning && thin.message.hasPrefix("TWFE pre-trend test: lead(s) -4 (1 cohort(s)"))
        #expect(results.text.contains("Warning: " + thin.message))
    }
}
