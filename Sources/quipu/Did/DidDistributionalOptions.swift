import ArgumentParser
import DiD

/// The options of `quipu did --estimator cic|qdid|qtt` (distributional effects): the quantiles and
/// the QTE curve's chart. The bootstrap reuses did's --reps and --seed.
struct DidDistributionalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Quantiles of the quantile effects (--estimator cic, qdid, qtt), comma-separated, each inside (0, 1).", valueName: "list"),
            transform: QuantileList.parsing)
    var quantiles: QuantileList = QuantileList(values: [0.1, 0.25, 0.5, 0.75, 0.9])

    @Option(name: .customLong("qte-plot"), help: "Write the quantile-effect curve with its pointwise intervals and uniform band (SVG; --estimator cic, qdid, qtt).")
    var qtePlot: String?
}

/// A comma-separated list of quantiles, each inside (0, 1), kept ascending without repeats.
struct QuantileList: Sendable {
    var values: [Double]

    static func parsing(_ text: String) throws -> QuantileList {
        var values = [Double]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(item), value.isFinite else {
                throw ValidationError("--quantiles: '\(item)' is not a number; give a list such as 0.1,0.25,0.5,0.75,0.9")
            }
            guard value > 0 && value < 1 else { throw ValidationError("--quantiles: \(item) is not inside (0, 1)") }
            values.append(value)
        }
        return QuantileList(values: Array(Set(values)).sorted())
    }
}
