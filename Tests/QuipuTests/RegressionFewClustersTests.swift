import Foundation
import Testing

/// Issue 19, point 4, for the regression commands: feols and fepois follow the same few-cluster
/// rule as did (Inference/FewClusters): below 30 clusters they warn, once per run, and name the
/// wild cluster bootstrap; fepois says it keeps the normal distribution, as fixest does for GLMs.
@Suite struct RegressionFewClustersTests {
    static let jtrain = "Datasets/jtrain/jtrain.csv"

    @Test("feols clustered by 3 years warns once and names the wild bootstrap; by 54 firms it does not")
    func feolsWarnsBelowThirtyClusters() throws {
        let few = try runQuipu(["feols", "--data", Self.jtrain, "--formula", "lscrap ~ grant | fcode + year", "--vcov", "cluster:year"])
        #expect(few.status == 0, "\(few.standardError)")
        #expect(few.standardError.contains("only 3 clusters (year): tests and intervals use t with G − 1 = 2 df"), "\(few.standardError)")
        #expect(few.standardError.contains("--bootstrap wild"))
        // Multiple estimation: one warning for the same clusters, not one per model.
        let several = try runQuipu(["feols", "--data", Self.jtrain, "--formula", "lscrap ~ csw(grant, grant_1) | fcode + year", "--vcov", "cluster:year"])
        #expect(several.status == 0, "\(several.standardError)")
        #expect(several.standardError.components(separatedBy: "only 3 clusters").count == 2, "\(several.standardError)")
        let many = try runQuipu(["feols", "--data", Self.jtrain, "--formula", "lscrap ~ grant | fcode + year", "--vcov", "cluster:fcode"])
        #expect(many.status == 0 && !many.standardError.contains("clusters ("), "\(many.standardError)")
        // The wild bootstrap itself is the check: no warning pointing to it.
        let wild = try runQuipu(["feols", "--data", Self.jtrain, "--formula", "lscrap ~ grant | fcode + year", "--vcov", "cluster:year",
                                 "--bootstrap", "wild", "--reps", "99", "--seed", "1"])
        #expect(!wild.standardError.contains("only 3 clusters"), "\(wild.standardError)")
    }

    @Test("fepois clustered by 3 years warns that its normal-based tests over-reject")
    func fepoisWarnsBelowThirtyClusters() throws {
        let run = try runQuipu(["fepois", "--data", Self.jtrain, "--formula", "employ ~ grant | fcode + year", "--vcov", "cluster:year"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("only 3 clusters (year): tests and intervals use the normal distribution"), "\(run.standardError)")
    }
}
