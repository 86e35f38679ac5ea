import ArgumentParser
import Foundation

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
