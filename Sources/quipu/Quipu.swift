import ArgumentParser

/// The `quipu` command line: estimates what business-support programmes do for firms.
@main
struct Quipu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quipu",
        abstract: "Difference-in-differences and fixed-effects regressions for programme evaluation.",
        discussion: """
            Examples:
              quipu feols --data Datasets/jtrain/jtrain.csv --formula "lscrap ~ grant + grant_1 | fcode + year"
              quipu feols --data panel.csv --formula "y ~ treat | firm + year" --vcov cluster:firm --format json
              quipu convert panel.csv panel.arrow   (later commands read --data panel.arrow without parsing)
            """,
        version: "0.1.0",
        subcommands: [FeolsCommand.self, FepoisCommand.self, DidCommand.self, TableCommand.self, DescribeCommand.self, TrendsCommand.self, ReportCommand.self, SimulateCommand.self, PowerCommand.self, ConvertCommand.self, PartialCommand.self, CombineCommand.self]
    )

    static func main() {
        ProcessSetup.apply()
        main(nil)
    }
}
