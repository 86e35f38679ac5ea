import ArgumentParser

/// An option value parsed once, when the command line is read, into the type the library takes.
///
/// A malformed value is then a usage error (exit 64) reported by ArgumentParser with the option,
/// the value and the reason, followed by the option's help line — not a failure found in `run()`
/// after the data were read. Declare such options with `transform: T.parsing` so that the reason
/// reaches the message (`ExpressibleByArgument.init?(argument:)` can only say "invalid"):
///
///     @Option(name: .long, help: "…", transform: CovarianceType.parsing) var vcov: CovarianceType = .iid
///
/// (swift-argument-parser's own convention: `ExpressibleByArgument` for the type, a throwing
/// transform where the reason matters; see its `Option(transform:)` documentation.)
protocol OptionValue: ExpressibleByArgument {
    /// Parses `text`, throwing `ValidationError` with the reason it is malformed (without the
    /// option's name: ArgumentParser puts it in front).
    static func parsing(_ text: String) throws -> Self
}

extension OptionValue {
    init?(argument: String) {
        guard let value = try? Self.parsing(argument) else { return nil }
        self = value
    }
}
