import ArgumentParser
import DiD

/// `--combine EXPR`: the expression's syntax is checked when the command line is read (exit 64
/// with the reason); its labels after estimation, against what the estimators reported.
extension CombinationExpression: OptionValue {
    // A public type of another module: ArgumentParser's requirements need public witnesses.
    public init?(argument: String) {
        guard let value = try? Self.parsing(argument) else { return nil }
        self = value
    }

    static func parsing(_ text: String) throws -> CombinationExpression {
        do { return try CombinationExpression(parsing: text) } catch { throw ValidationError(error.reason) }
    }
}
