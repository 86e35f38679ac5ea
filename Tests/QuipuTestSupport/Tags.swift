import Testing

extension Tag {
    /// Suites that take more than about seven seconds run alone (reference comparisons over many
    /// cases, `quipu report`, command-line hardening). SwiftPM's `swift test` cannot select by tag,
    /// so the README's test paragraph gives the `--skip` pattern of these suites' names.
    @Tag public static var slow: Self
}
