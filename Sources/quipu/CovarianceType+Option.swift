import ArgumentParser
import Inference

extension CovarianceType {
    /// Checks `--vcov` in a command's `validate`, so that a malformed value is a usage error
    /// (exit 64) like every other malformed option, not a failure of the run (exit 1).
    static func validateOption(_ text: String) throws {
        do { _ = try CovarianceType(parsing: text) } catch { throw ValidationError("--vcov: \(error.message)") }
    }
}
