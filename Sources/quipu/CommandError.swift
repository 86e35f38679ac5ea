import ArgumentParser
import Foundation
import Inference

/// A failure to report on standard error as one line, with a non-zero exit code.
struct CommandError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Runs a command body, turning every error into one line on standard error and exit code 1 (64
/// for a malformed option value), so that bad input never ends in a crash or a stack trace.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let usage as ValidationError {
        // A malformed option value found only once the command runs is still a usage error:
        // exit 64 (EX_USAGE), as ArgumentParser gives those found in `validate`.
        FileHandle.standardError.write(Data(("quipu: error: " + usage.message + "\n").utf8))
        throw ExitCode.validationFailure
    } catch {
        let message = String(describing: error)
        FileHandle.standardError.write(Data(("quipu: error: " + message + "\n").utf8))
        throw ExitCode(1)
    }
}

/// Writes a warning to standard error, beside (not inside) the results: something the reader
/// must know before trusting a number, which does not stop the command.
func warn(_ message: String) {
    FileHandle.standardError.write(Data(("quipu: warning: " + message + "\n").utf8))
}

/// Warns that a clustered covariance rests on fewer clusters than `FewClusters` trusts (the
/// rule `did` follows too), once per cluster variable and count in a run of several models.
func warnOfFewClusters(_ estimate: CovarianceEstimate, covariance: CovarianceType, check: String, distribution: String? = nil) {
    guard let fewest = estimate.clusterCounts.min(), fewest >= 2 else { return }
    let variable = covariance.clusterVariables.joined(separator: "+")
    guard let message = FewClusters.warning(clusters: fewest, variable: variable, check: check, distribution: distribution) else { return }
    FewClusterWarnings.lock.lock()
    defer { FewClusterWarnings.lock.unlock() }
    guard FewClusterWarnings.given.insert(message).inserted else { return }
    warn(message)
}

/// The few-cluster warnings already given in this run.
private enum FewClusterWarnings {
    static let lock = NSLock()
    nonisolated(unsafe) static var given = Set<String>()
}
