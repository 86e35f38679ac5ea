import ArgumentParser

/// `--plot` of `quipu did`, shown with the output options.
struct EventStudyPlotOption: ParsableArguments {
    @Option(name: .long, help: "Write the event-study plot (SVG) to this path.")
    var plot: String?
}
