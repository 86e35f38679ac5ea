import ArgumentParser
import Foundation
import Reporting

/// `quipu table`: earlier runs' models side by side, as fixest's `etable`.
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Models side by side (as fixest's etable), from the JSON of earlier feols, fepois and did runs.",
        discussion: """
            Each input is the JSON of a run (--format json), an object with "models": [...], or an \
            array of them; "-" reads standard input. A did result gives one column per estimator, \
            showing its overall ATT; its event-time (e-2, e0), cohort (g2006) and period (t2007) \
            aggregates are shown when --keep names them.

            Examples:
              quipu feols --data d.csv --formula "y ~ x | firm" --format json > a.json
              quipu feols --data d.csv --formula "y ~ x | firm + year" --format json > b.json
              quipu table a.json b.json --format latex --output table.tex
              quipu did ... --format json | quipu table - --keep "^ATT$|^e"
            """
    )

    @Argument(help: "JSON files of earlier runs, in column order; - for standard input.")
    var inputs: [String] = []

    @Option(name: .long, help: "Show only coefficients matching this regular expression (repeatable; a leading ! inverts it).")
    var keep: [String] = []

    @Option(name: .long, help: "Hide coefficients matching this regular expression (repeatable; a leading ! inverts it).")
    var drop: [String] = []

    @Option(name: .long, help: "Rename a coefficient, outcome or fixed effect: OLD=NEW (repeatable; --keep and --drop see the new names).")
    var rename: [String] = []

    @Option(name: .long, help: "Significant digits of estimates and their statistics.")
    var digits: Int = 4

    @Flag(help: "What to show below each estimate.")
    var statistic: RegressionTable.Statistic = .standardError

    @Option(name: .long, help: ArgumentHelp("Significance marks: thresholds \"0.01,0.05,0.1\" (the default, fixest etable's), marks \"***=0.001,**=0.01,*=0.05,.=0.1\", or none.", valueName: "stars"),
            transform: SignificanceStars.parsing)
    var stars: SignificanceStars = .standard

    @Option(name: .long, help: ArgumentHelp("Adjust the shown coefficients' p-values (intercepts aside) for being read together: holm, bh or sharpened (Anderson's q), comma-separated; listed below the table (text, markdown, latex, json).", valueName: "methods"),
            transform: AdjustmentList.parsing)
    var adjust: AdjustmentList?

    @OptionGroup var output: TableOutputOptions

    func validate() throws {
        if let adjust {
            if adjust.needsBootstrap {
                throw ValidationError("--adjust romano-wolf and westfall-young need every model's bootstrap draws from one resampling of the same clusters, which saved runs do not carry: run the models as one estimation, e.g. quipu feols --formula \"c(y1, y2) ~ x\" --vcov cluster:VAR --adjust romano-wolf; the table takes holm, bh or sharpened")
            }
            if output.format == .csv || output.format == .html {
                throw ValidationError("--adjust lists the adjusted p-values below the table in --format text, markdown, latex or json, not \(output.format.rawValue)")
            }
        }
        guard !inputs.isEmpty else { throw ValidationError("give the JSON of at least one run, e.g. quipu table a.json b.json (or - for standard input)") }
        guard inputs.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input (-) can be read once only") }
        do {
            try InputFiles.refuse(outputs: [("--output", output.output)], inputs: inputs.map { ("input", $0) })
        } catch {
            throw ValidationError(String(describing: error))
        }
        guard (1...15).contains(digits) else { throw ValidationError("--digits must be between 1 and 15, got \(digits)") }
        do {
            _ = try tableOptions()
        } catch let error as TableInputError {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        try reportingFailures {
            var models = [ModelSummary]()
            for input in inputs {
                let (data, source) = try Self.read(input)
                models += try ModelSummary.models(fromJSON: try Self.parse(data, source: source), source: source)
            }
            let table = try RegressionTable(models: models, options: try tableOptions())
            let adjusted = adjust.map { table.adjustedPValues(methods: $0.methods) }
            let rendered: String
            switch output.format {
            case .text: rendered = table.text + (adjusted.map { "\n" + $0.text } ?? "")
            case .markdown: rendered = table.markdown + (adjusted.map { "\n" + $0.markdown } ?? "")
            case .latex: rendered = table.latex + (adjusted.map { "\n" + $0.latexComment } ?? "")
            case .html: rendered = table.html
            case .csv: rendered = table.csv
            case .json: rendered = (adjusted.map { table.json(adjusted: $0) } ?? table.json).serialized() + "\n"
            }
            try output.emit(rendered)
        }
    }

    /// The options as the table takes them; malformed ones throw, naming the option.
    func tableOptions() throws -> RegressionTable.Options {
        var options = RegressionTable.Options()
        options.digits = digits
        options.statistic = statistic
        options.stars = stars
        options.selection = try CoefficientSelection(keep: keep, drop: drop, rename: rename)
        return options
    }
}

extension TableCommand {
    /// The bytes of one input and its name for messages.
    static func read(_ input: String) throws -> (data: Data, source: String) {
        if input == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard !data.isEmpty else { throw CommandError("standard input is empty: expected the JSON of a quipu run") }
            return (data, "standard input")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw CommandError("\(input): no such file")
        }
        guard !isDirectory.boolValue else { throw CommandError("\(input): is a directory; give the JSON file of a run") }
        InputFiles.register(input)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: input))
        } catch {
            throw CommandError("\(input): cannot be read (\((error as NSError).localizedDescription))")
        }
        guard !data.isEmpty else { throw CommandError("\(input): is empty: expected the JSON of a quipu run") }
        return (data, input)
    }

    /// The parsed document, or an error that says the input is not JSON and where.
    static func parse(_ data: Data, source: String) throws -> Any {
        do {
            return try JSONReader.parse(data)
        } catch {
            // JSONDecoder says no more than "not valid JSON" (no line or column) on Linux.
            throw CommandError("\(source): not valid JSON; expected the output of `quipu feols|fepois|did ... --format json`")
        }
    }
}

extension RegressionTable.Statistic: EnumerableFlag {
    public static func name(for value: Self) -> NameSpecification { .customLong(value.rawValue) }

    public static func help(for value: Self) -> ArgumentHelp? {
        switch value {
        case .standardError: return "Standard errors in parentheses below the estimates."
        case .confidenceInterval: return "Confidence intervals [low; high] below the estimates, at each run's --level."
        case .tStatistic: return "t statistics in parentheses below the estimates."
        }
    }
}
