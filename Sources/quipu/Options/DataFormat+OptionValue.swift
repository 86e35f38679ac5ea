import ArgumentParser
import PanelData

/// `--format-in`: csv, csv.gz, dta, sav or arrow (in any case).
extension DataFormat: OptionValue {
    // A public type of another module: ArgumentParser's requirements need public witnesses.
    public init?(argument: String) {
        guard let value = try? Self.parsing(argument) else { return nil }
        self = value
    }

    static func parsing(_ text: String) throws -> DataFormat {
        guard let format = DataFormat(rawValue: text.lowercased()) else {
            throw ValidationError("the format must be one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
