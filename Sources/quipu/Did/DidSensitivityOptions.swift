import Foundation
import Primitives
import ArgumentParser
import Reporting
import Sensitivity

/// `quipu did --sensitivity`: Rambachan–Roth sensitivity of every event study to violations of
/// parallel trends (library code in Sources/Sensitivity and Reporting/EventStudySensitivity).
struct DidSensitivityOptions: ParsableArguments {
    @Option(name: .long, help: "Sensitivity of each event study to violations of parallel trends (Rambachan & Roth 2023): rm (relative magnitudes, M̄), sd (smoothness, M), both.")
    var sensitivity: SensitivityChoice?

    @Option(name: .customLong("mbar"), help: ArgumentHelp("Relative-magnitudes grid M̄, comma-separated (default 0,0.25,…,2 as HonestDiD).", valueName: "list"),
            transform: BoundGrid.parsing)
    var mbar: BoundGrid?

    @Option(name: .customLong("m"), help: ArgumentHelp("Smoothness grid M in outcome units, comma-separated (default: HonestDiD's, from the pre-periods' second differences).", valueName: "list"),
            transform: BoundGrid.parsing)
    var m: BoundGrid?

    @Option(name: .customLong("sensitivity-target"), help: ArgumentHelp("What the sensitivity bounds: impact (e0, default), average (of the post periods), or an expression over post event times such as \"(e0 + e1)/2\".", valueName: "target"),
            transform: DidSensitivityOptions.target(parsing:))
    var target: SensitivityTarget = .impact

    @Option(name: .customLong("sensitivity-method"), help: "Relative-magnitudes interval: c-lf (conditional least-favourable hybrid, HonestDiD's default) or conditional; smoothness always uses the FLCI.")
    var method: RelativeMagnitudeMethod = .clf

    @Option(name: .customLong("sensitivity-plot"), help: "Write the sensitivity curves (SVG) to this path.")
    var plot: String?

    /// A target as written, or a usage error with the expression's syntax problem.
    static func target(parsing text: String) throws -> SensitivityTarget {
        do { return try SensitivityTarget(parsing: text) } catch { throw ValidationError("--sensitivity-target '\(text)': \(error.reason)") }
    }

    /// The restrictions asked for.
    var restrictions: [SensitivityRestriction] {
        switch sensitivity {
        case nil: return []
        case .rm?: return [.relativeMagnitudes]
        case .sd?: return [.smoothness]
        case .both?: return [.relativeMagnitudes, .smoothness]
        }
    }

    /// Usage errors (exit 64): options that need --sensitivity or the other restriction.
    func validate(eventStudies: Bool, format: OutputFormat) throws {
        guard let sensitivity else {
            for (given, name) in [(mbar != nil, "--mbar"), (m != nil, "--m"), (plot != nil, "--sensitivity-plot"), (target != .impact, "--sensitivity-target")] where given {
                throw ValidationError("\(name) applies to a sensitivity analysis: add --sensitivity rm, sd or both")
            }
            return
        }
        if mbar != nil && sensitivity == .sd { throw ValidationError("--mbar is the relative-magnitudes grid: use --sensitivity rm or both, or --m for smoothness") }
        if method != .clf && sensitivity == .sd { throw ValidationError("--sensitivity-method chooses the relative-magnitudes interval; smoothness always uses the FLCI: use --sensitivity rm or both") }
        if m != nil && sensitivity == .rm { throw ValidationError("--m is the smoothness grid: use --sensitivity sd or both, or --mbar for relative magnitudes") }
        if let plot, !plot.lowercased().hasSuffix(".svg") { throw ValidationError("--sensitivity-plot writes SVG: give a path ending in .svg") }
        if format == .latex || format == .csv { throw ValidationError("--sensitivity is written in the text, markdown and json formats") }
        if !eventStudies { throw ValidationError("--sensitivity analyses an event study: add --event-study (TWFE) or choose a heterogeneity-robust estimator") }
    }

    /// The request, after the checks of values a grid may hold (exit 1, as for bad data).
    func request(level: Double, varyingBasePeriod: Bool) throws -> SensitivityRequest? {
        guard sensitivity != nil else { return nil }
        for (grid, name) in [(mbar, "--mbar"), (m, "--m")] {
            if let negative = grid?.values.first(where: { $0 < 0 }) {
                throw CommandError("\(name) \(grid?.text ?? ""): \(NumberFormat.short4g(negative)) is negative; the bounds must be 0 or more")
            }
        }
        return SensitivityRequest(restrictions: restrictions, relativeMagnitudeGrid: mbar?.values, smoothnessGrid: m?.values,
                                  target: target, level: level,
                                  relativeMagnitudeMethod: method == .clf ? .conditionalLeastFavorable : .conditional,
                                  varyingBasePeriod: varyingBasePeriod)
    }
}

enum SensitivityChoice: String, ExpressibleByArgument, CaseIterable {
    case rm, sd, both
}

enum RelativeMagnitudeMethod: String, ExpressibleByArgument, CaseIterable {
    case clf = "c-lf"
    case conditional
}

/// A comma-separated grid of bounds as written (`0,0.5,1`).
struct BoundGrid {
    let text: String
    let values: [Double]

    static func parsing(_ text: String) throws -> BoundGrid {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var values = [Double]()
        for part in parts {
            guard let value = Double(part), value.isFinite else {
                throw ValidationError("'\(text)': '\(part)' is not a number; give a comma-separated list such as 0,0.5,1")
            }
            values.append(value)
        }
        return BoundGrid(text: text, values: values)
    }
}
