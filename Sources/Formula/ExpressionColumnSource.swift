/// Supplies the columns an `Expression` reads while it is evaluated, and hears about each step, so
/// that the model frame, did's outcome and row filters share one arithmetic.
public protocol ExpressionColumnSource {
    /// What a failed column look-up throws (an unknown or text column).
    associatedtype Failure: Error

    /// The numeric values of a column, NaN where missing.
    mutating func numericValues(of column: String) throws(Failure) -> [Double]

    /// Called after a function or operator (`step`) has produced `result` from `arguments`: where
    /// every argument is finite but the result is not, `step.undefinedReason` says why.
    mutating func noteStep(_ step: Expression, result: [Double], arguments: [[Double]])
}

extension ExpressionColumnSource {
    /// Ignores the steps: for callers that only want the values.
    public mutating func noteStep(_ step: Expression, result: [Double], arguments: [[Double]]) {}
}
