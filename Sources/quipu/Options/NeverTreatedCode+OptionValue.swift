import ArgumentParser
import PanelData

/// `--never-treated`: an integer (the cohort value of never-treated units) or none.
extension NeverTreatedCode: OptionValue {
    // A public type of another module: ArgumentParser's requirements need public witnesses.
    public init?(argument: String) {
        guard let value = try? Self.parsing(argument) else { return nil }
        self = value
    }

    static func parsing(_ text: String) throws -> NeverTreatedCode {
        guard let code = NeverTreatedCode(parsing: text) else {
            throw ValidationError("takes an integer (the cohort value of never-treated units, e.g. 0 or 9999) or none (only empty cells)")
        }
        return code
    }
}
