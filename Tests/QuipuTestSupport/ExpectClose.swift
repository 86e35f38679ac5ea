import Foundation
import Testing

/// The one closeness expectation of the suites: records an issue, with both values, the
/// tolerances and `label`, unless `ours` is close to `theirs` (`isClose`). A missing value on
/// either side (nil: a key absent from the output or the reference) is an issue too.
///
/// Returns whether the values were close, so that a caller can stop comparing a case that failed.
@discardableResult
public func expectClose(_ ours: Double?, _ theirs: Double?, relative: Double = 0, absolute: Double = 0,
                        _ label: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let prefix = label().isEmpty ? "" : label() + ": "
    guard let ours, let theirs else {
        Issue.record("\(prefix)missing value (ours \(ours.map { "\($0)" } ?? "nil"), reference \(theirs.map { "\($0)" } ?? "nil"))",
                     sourceLocation: sourceLocation)
        return false
    }
    guard isClose(ours, theirs, relative: relative, absolute: absolute) else {
        Issue.record("\(prefix)\(ours) is not within \(absolute) + \(relative)·|\(theirs)| of \(theirs) (difference \(ours - theirs))",
                     sourceLocation: sourceLocation)
        return false
    }
    return true
}

/// A JSON number (from `JSONSerialization`) as a Double; nil for anything else (a string, null).
public func jsonNumber(_ value: Any?) -> Double? {
    (value as? NSNumber)?.doubleValue
}
