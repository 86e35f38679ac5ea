import Foundation
import Inference
import LinearAlgebra
import Primitives

/// What a reader must know before trusting a bootstrap's p-values: too few replicates for the
/// confidence level, p-values that cannot fall below the level, and too few treated clusters for
/// the wild bootstrap.
public enum BootstrapDiagnostics {
    /// Below this many treated (or untreated) clusters the wild cluster bootstrap misleads
    /// (MacKinnon & Webb 2017, "Wild bootstrap inference for wildly different cluster sizes";
    /// 2018, "The wild bootstrap for few (treated) clusters").
    public static let fewTreatedClusters = 10

    /// Below this many random replicates the Monte Carlo error of a p-value near 0.05 exceeds
    /// about ±0.007, enough to move it across the threshold.
    public static let recommendedReplicates = 999

    /// The fewest replicates with which a p-value can fall below α = 1 − level: the smallest
    /// bootstrap p-value is 1/(B + 1), so B ≥ 1/α − 1 (19 for a 95% interval).
    public static func minimumReplicates(level: Double) -> Int {
        let alpha = 1 - level
        guard alpha > 0 && alpha < 1 else { return 1 }
        // The slack keeps 1/0.05 − 1, computed as 18.99999999999998, from rounding up to 20.
        return max(1, Int(min(1e15, 1 / alpha - 1 - 1e-9).rounded(.up)))
    }

    /// Refuses a replicate count that cannot reach the level.
    public static func checkReplicates(_ replicates: Int, level: Double) throws {
        let minimum = minimumReplicates(level: level)
        guard replicates >= minimum else {
            let percent = NumberFormat.percent(level)
            throw EstimationError("--reps \(replicates) is too few for a \(percent) interval: a bootstrap p-value can fall below "
                + "\(NumberFormat.short3g(1 - level)) only with at least \(minimum) replicates; use \(recommendedReplicates) or more (9,999 is usual)")
        }
    }

    /// The warning for a random (not enumerated) bootstrap with fewer replicates than usual.
    public static func fewReplicatesWarning(_ replicates: Int) -> String? {
        guard replicates < recommendedReplicates else { return nil }
        let error = (0.05 * 0.95 / Double(replicates)).squareRoot()
        return "--reps \(replicates): a bootstrap p-value near 0.05 varies by about ±\(NumberFormat.short3g(error)) from seed to seed "
            + "(one Monte Carlo standard error); use \(recommendedReplicates) or more (9,999 is usual)"
    }

    /// The warning for a full enumeration too small to reach the level: p-values come in steps
    /// of 1/2^G.
    public static func enumerationWarning(clusters: Int, replicates: Int, level: Double) -> String? {
        guard replicates < minimumReplicates(level: level) else { return nil }
        return "with \(clusters) bootstrap clusters there are only \(replicates) Rademacher sign vectors, all of them used: "
            + "p-values come in steps of 1/\(replicates) = \(NumberFormat.short3g(1 / Double(replicates))) and cannot fall below "
            + "\(NumberFormat.short3g(1 - level)); use --boot-weights webb (six-point weights, 6^G distinct draws)"
    }

    /// Treated and untreated bootstrap clusters when the tested regressors are 0/1 indicators.
    ///
    /// A cluster is treated when any tested 0/1 regressor is 1 in any of its rows (a firm supported
    /// in some year), untreated otherwise. Regressors with other values (a continuous dose) have
    /// no treated clusters in this sense, and nil is returned when no tested regressor is 0/1.
    public static func treatedClusters(frame: ModelFrame?, regressors: [String], cluster: String) -> (treated: Int, total: Int)? {
        guard let frame, let clusters = frame.clusterVariables.first(where: { $0.name == cluster }) else { return nil }
        let rows = frame.design.rows
        guard clusters.codes.count == rows, rows > 0 else { return nil }
        let indicators = regressors.compactMap { frame.columnNames.firstIndex(of: $0) }.filter { column in
            (0..<rows).allSatisfy { let value = frame.design.values[column * rows + $0]; return value == 0 || value == 1 }
        }
        guard !indicators.isEmpty else { return nil }
        var treated = [Bool](repeating: false, count: clusters.levelCount)
        for row in 0..<rows where indicators.contains(where: { frame.design.values[$0 * rows + row] == 1 }) {
            treated[Int(clusters.codes[row])] = true
        }
        return (treated.filter { $0 }.count, clusters.levelCount)
    }

    /// The warning for few treated or few untreated clusters, with the other variant's p-value
    /// beside this one's when it could be computed.
    public static func fewTreatedWarning(tested: String, regressors: [String], counts: (treated: Int, total: Int), cluster: String,
                                  imposeNull: Bool, pValue: Double, otherPValue: Double?) -> String? {
        let untreated = counts.total - counts.treated
        guard min(counts.treated, untreated) < fewTreatedClusters else { return nil }
        let names = regressors.joined(separator: " or ")
        let which = counts.treated < fewTreatedClusters
            ? "only \(counts.treated) of \(counts.total) bootstrap clusters (\(cluster)) have \(names) = 1"
            : "only \(untreated) of \(counts.total) bootstrap clusters (\(cluster)) never have \(names) = 1"
        var text = "\(tested): \(which). With fewer than \(fewTreatedClusters) treated or untreated clusters the wild cluster bootstrap "
            + "is unreliable (MacKinnon & Webb 2017, 2018): the restricted bootstrap (WCR, --impose-null true) under-rejects, so it is "
            + "the conservative one, and the unrestricted bootstrap (WCU, --impose-null false) over-rejects."
        if let otherPValue {
            let (wcr, wcu) = imposeNull ? (pValue, otherPValue) : (otherPValue, pValue)
            text += " Both were run: WCR p = \(NumberFormat.short3g(wcr)), WCU p = \(NumberFormat.short3g(wcu)); "
                + "trust a rejection only if WCR rejects too."
        }
        return text
    }
}
