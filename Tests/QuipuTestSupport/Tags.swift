import Testing

extension Tag {
    /// Suites that take more than a few seconds (reference comparisons over many cases, coverage
    /// studies, bootstraps with many replicates). `swift test --skip-tags`-style filtering is not
    /// available in SwiftPM, so the README gives the `--skip` pattern of these suites' names.
    @Tag public static var slow: Self
}
