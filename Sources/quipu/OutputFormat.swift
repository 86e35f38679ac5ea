import ArgumentParser

/// The formats results can be written in.
enum OutputFormat: String, OutputFormatChoice {
    case text, json, markdown, latex, csv
}

/// The formats one command writes: `--format` accepts, and `--help` lists, exactly these.
protocol OutputFormatChoice: ExpressibleByArgument, CaseIterable, RawRepresentable, Equatable where RawValue == String {
    /// The default, which every command writes.
    static var text: Self { get }
}

/// `quipu describe`'s formats.
enum DescribeFormat: String, OutputFormatChoice {
    case text, json, markdown
}

/// `quipu trends`' formats.
enum TrendsFormat: String, OutputFormatChoice {
    case text, csv, json
}

/// `quipu table`'s formats.
enum TableFormat: String, OutputFormatChoice {
    case text, markdown, latex, html, csv, json
}
