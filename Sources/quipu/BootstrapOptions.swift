import ArgumentParser
import Estimation
import Inference

extension BootstrapWeights: ExpressibleByArgument {}
extension BootstrapPValueType: ExpressibleByArgument {}

extension BootstrapMethod: ExpressibleByArgument {}

/// Bootstrap options shared by estimation commands.
struct BootstrapOptions: ParsableArguments {
    @Option(name: .long, help: "Bootstrap inference: wild (wild cluster bootstrap) or pairs (resample clusters).")
    var bootstrap: BootstrapMethod?

    @Option(name: .long, help: "Bootstrap replicates: at least 1/(1 − level) − 1 (19 for a 95% interval); 9,999 is usual.")
    var reps: Int = 9_999

    @Option(name: .long, help: "Random seed (results are identical for any --threads).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "The coefficient to test (default: every coefficient).")
    var param: String?

    @Option(name: .long, help: "Wild bootstrap test of a linear restriction, e.g. \"grant + grant_1 = 0\" (instead of one test per coefficient).")
    var restriction: String?

    @Option(name: .customLong("boot-weights"), help: "Wild bootstrap weights: rademacher, webb, mammen, normal.")
    var bootWeights: BootstrapWeights = .rademacher

    @Option(name: .customLong("boot-cluster"), help: "Cluster variable for the bootstrap (default: the vcov's).")
    var bootCluster: String?

    @Option(name: .customLong("impose-null"), help: "Wild bootstrap: impose the null on the residuals (WCR, true) or not (WCU, false).")
    var imposeNull: Bool = true

    @Option(name: .customLong("boot-pvalue"), help: "Wild bootstrap p-value: symmetric or equal-tailed.")
    var pValueType: BootstrapPValueType = .symmetric

    /// The most replicates accepted; the memory they need is checked against the machine later.
    static let maximumReplicates = 1_000_000_000

    /// The bootstrap asked for, if any, as the library takes it.
    var request: BootstrapRequest? {
        bootstrap.map { BootstrapRequest(method: $0, replicates: reps, seed: seed, term: param, restriction: restriction, weights: bootWeights,
                                         cluster: bootCluster, imposeNull: imposeNull, pValueType: pValueType) }
    }

    func validate() throws {
        guard bootstrap != nil else {
            if restriction != nil { throw ValidationError("--restriction is tested by the wild bootstrap: add --bootstrap wild") }
            return
        }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1, got \(reps)") }
        // A bound before any arithmetic on the count: near Int.max, reps × width would trap.
        guard reps <= Self.maximumReplicates else {
            throw ValidationError("--reps \(reps) is more than any bootstrap needs: use at most 1,000,000,000 (9,999 is usual, 99,999 ample)")
        }
        if bootstrap == .pairs && reps < 2 { throw ValidationError("the pairs bootstrap needs --reps of at least 2") }
        if restriction != nil && bootstrap != .wild { throw ValidationError("--restriction is tested by the wild bootstrap: add --bootstrap wild") }
        if restriction != nil && param != nil { throw ValidationError("give --param or --restriction, not both") }
    }
}
