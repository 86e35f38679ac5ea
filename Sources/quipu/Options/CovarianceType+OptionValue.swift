import ArgumentParser
import Inference

/// `--vcov`: iid, hetero, cluster:VAR or cluster:VAR1+VAR2.
extension CovarianceType: OptionValue {
    // A public type of another module: ArgumentParser's requirements need public witnesses.
    public init?(argument: String) {
        guard let value = try? Self.parsing(argument) else { return nil }
        self = value
    }

    static func parsing(_ text: String) throws -> CovarianceType {
        do { return try CovarianceType(parsing: text) } catch { throw ValidationError(error.message) }
    }

    public var defaultValueDescription: String { description }
}
