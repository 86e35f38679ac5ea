import ArgumentParser

/// `--plot` and `--covariances` of `quipu did`, shown with the output options.
struct EventStudyPlotOption: ParsableArguments {
    @Option(name: .long, help: "Write the event-study plot (SVG) to this path.")
    var plot: String?

    @Flag(name: .long, help: "With --format csv: write each estimator's aggregate covariances in long form (estimator,aggregate,scale,row,column,covariance) instead of the estimates. JSON always carries them (covariances).")
    var covariances = false

    @Flag(name: .long, help: "Add each event study's pre-test power against a linear trend (Roth 2022) to the text: the slopes detected with 50% and 80% power and their bias in the average post-period effect. JSON always carries it (pretrend_power).")
    var pretestPower = false
}
