import ArgumentParser
import DiD

/// The options of the Callaway–Sant'Anna estimator in `quipu did`.
struct CallawaySantAnnaArguments: ParsableArguments {
    @Option(name: .long, help: "Callaway–Sant'Anna and extended TWFE (etwfe) comparison units: never (never treated) or notyet (not yet treated).")
    var control: CallawaySantAnnaOptions.Control = .never

    @Option(name: .long, help: "Callaway–Sant'Anna 2x2 method: dr (doubly robust), ipw, reg.")
    var method: TwoByTwoMethod = .dr

    @Option(name: .long, help: "Periods before the start of support in which units may already react (Callaway–Sant'Anna, imputation).")
    var anticipation: Int = 0

    @Option(name: .customLong("base-period"), help: "Callaway–Sant'Anna base period of pre-treatment cells: varying or universal.")
    var basePeriod: CallawaySantAnnaOptions.BasePeriod = .varying

    @Option(name: .customLong("panel"), help: "Callaway–Sant'Anna with gaps in the panel: auto (balanced if the data are, else pairwise), balanced (keep units observed in every period, R did's default), unbalanced (repeated cross-sections, R did's allow_unbalanced_panel), pairwise (each ATT(g,t) on the units observed in both its periods).")
    var panelMode: UnitPanel.Mode = .auto

    @Option(name: .long, help: ArgumentHelp("Aggregations of ATT(g,t): simple, group, dynamic, calendar, all (comma-separated).", valueName: "aggregate"),
            transform: AggregationList.parsing)
    var aggregate: AggregationList = .all
}

extension CallawaySantAnnaOptions.Control: ExpressibleByArgument {}
extension CallawaySantAnnaOptions.BasePeriod: ExpressibleByArgument {}
extension TwoByTwoMethod: ExpressibleByArgument {}
extension UnitPanel.Mode: ExpressibleByArgument {}
