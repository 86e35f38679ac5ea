import ArgumentParser
import Reporting

/// `--stars` of `quipu table`: thresholds ("0.01,0.05,0.1"), marks ("***=0.001,**=0.01"), or none.
extension SignificanceStars: OptionValue {
    // A public type of another module: ArgumentParser's requirements need public witnesses.
    public init?(argument: String) {
        guard let value = try? Self.parsing(argument) else { return nil }
        self = value
    }

    static func parsing(_ text: String) throws -> SignificanceStars {
        do { return try SignificanceStars(parsing: text) } catch { throw ValidationError(String(describing: error)) }
    }
}
