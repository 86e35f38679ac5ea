import Foundation

// How long a wild bootstrap will take, said before it runs.
//
// The memory check (BootstrapMemory) stops a request whose buffers cannot fit; a request that
// fits can still run for an hour (10^8 replicates over a few thousand clusters) with nothing on
// the screen but, on a terminal, a progress bar. A cost model in flops would need a throughput
// figure for each machine and build; instead a pilot runs the first chunk of replicates and the
// test inversion on them, times both, and scales each by the replicates requested (both are
// linear in them: a replicate costs O(G·k), an inversion pass O(B), and the passes' number does
// not depend on B). The pilot repeats the run's own first 1,024 replicates (the same draws, so
// nothing it reports depends on it): under 1% of a run of 10^5 replicates or more, up to half of
// the smallest run it is taken for (2,049 replicates of a large problem, itself seconds long);
// runs too small to matter take no pilot.

extension WildClusterBootstrap {
    /// Replicates in the pilot: one of the runner's chunks.
    static let pilotReplicates = 1024

    /// Below this many (replicate × cluster × parameter) steps a run takes well under a second
    /// and no pilot is taken.
    static let pilotThreshold = 1e9

    /// The seconds a run of `replicates` would take, from a timed pilot; nil when the run is too
    /// small to need one.
    static func estimatedSeconds(pieces: Pieces, replicates: Int, enumerate: Bool, settings: WildBootstrapSettings,
                                 kappa: Double, value: Double) -> Double? {
        let steps = Double(replicates) * Double(pieces.bootstrapCount + pieces.covarianceCount) * Double(pieces.k + 1)
        guard steps >= pilotThreshold, replicates > 2 * pilotReplicates else { return nil }
        let pilot = pilotReplicates
        var summaries = [Double](repeating: .nan, count: pilot * summaryWidth)
        var scratch = ReplicateScratch()
        let started = ContinuousClock.now
        summaries.withUnsafeMutableBufferPointer { output in
            pieces.replicates(0..<pilot, enumerate: enumerate, seed: settings.seed, weights: settings.weights,
                              output: output, scratch: &scratch)
        }
        let drawn = ContinuousClock.now
        let inversion = Inversion(pieces: pieces, summaries: summaries, replicates: pilot, type: settings.pValueType,
                                  imposeNull: settings.imposeNull, kappa: kappa)
        _ = inversion.pValue(at: value)
        _ = inversion.confidenceSet(level: settings.confidenceLevel)
        let inverted = ContinuousClock.now
        let scale = Double(replicates) / Double(pilot)
        // Replicates run on the worker threads; the inversion on one.
        return seconds(started.duration(to: drawn)) * scale / Double(max(1, settings.threads))
            + seconds(drawn.duration(to: inverted)) * scale
    }

    /// The warning for a run expected to take longer than `settings.longRunSeconds`, or nil.
    static func longRunWarning(seconds: Double?, replicates: Int, clusters: Int, settings: WildBootstrapSettings) -> String? {
        guard let seconds, seconds > settings.longRunSeconds else { return nil }
        let threads = settings.threads == 1 ? "1 thread" : "\(settings.threads) threads"
        return "the wild bootstrap's \(replicates) replicates over \(clusters) clusters will take about "
            + "\(describeDuration(seconds)) on \(threads) (timed on its first \(pilotReplicates)), for each coefficient tested; "
            + "9,999 replicates are usual and 99,999 ample for p-values near 0.05 (--reps)"
    }

    /// "40 seconds", "12 minutes", "3.5 hours".
    static func describeDuration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded())) seconds" }
        if seconds < 90 * 60 { return "\(Int((seconds / 60).rounded())) minutes" }
        return "\((seconds / 360).rounded() / 10) hours"
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
