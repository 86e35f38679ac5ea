import Foundation

extension Expression {
    /// The numeric function a formula's function name stands for (`log`, `exp`, `sqrt`, `abs`,
    /// `log1p`, `asinh`), or nil for a name the parser does not know. Kept beside the parser's list
    /// so the two cannot drift apart.
    public static func numericFunction(named name: String) -> ((Double) -> Double)? {
        switch name {
        case "log": return { Foundation.log($0) }
        case "exp": return { Foundation.exp($0) }
        case "sqrt": return { $0.squareRoot() }
        case "abs": return { Swift.abs($0) }
        case "log1p": return { Foundation.log1p($0) }
        case "asinh": return { Foundation.asinh($0) }
        default: return nil
        }
    }

    /// Why this expression's outermost step gives no finite number for finite inputs, worded for
    /// dropped-row counts ("log of zero or negative"); nil for a variable, a number or `I()`.
    public var undefinedReason: String? {
        switch self {
        case .function(let function, _):
            switch function {
            case "log": return "log of zero or negative"
            case "log1p": return "log1p of -1 or less"
            case "sqrt": return "sqrt of negative"
            case "exp": return "exp overflows"
            default: return "\(function) not finite"
            }
        case .arithmetic(.divide, _, _):
            return "division by zero"
        case .arithmetic(.power, _, _):
            return "power undefined (negative base, fractional exponent) or overflowing"
        case .arithmetic(let operation, _, _):
            return "'\(operation.symbol)' overflows"
        case .negation, .comparison:
            return "not finite"
        case .variable, .number, .identity:
            return nil
        }
    }

    /// Evaluates the expression over `rowCount` rows whose columns `source` supplies.
    ///
    /// Missing values are NaN and propagate, as R's NA does; a comparison with a missing side is
    /// missing. After each function or operator, `source` is told the step's result and its
    /// arguments, so it can tell a missing input from a step undefined at a present value.
    public func evaluate<Source: ExpressionColumnSource>(rowCount: Int, source: inout Source) throws(Source.Failure) -> [Double] {
        switch self {
        case .variable(let column):
            return try source.numericValues(of: column)
        case .number(let value):
            return [Double](repeating: value, count: rowCount)
        case .identity(let inner):
            return try inner.evaluate(rowCount: rowCount, source: &source)
        case .negation(let operand):
            let values = try operand.evaluate(rowCount: rowCount, source: &source)
            return values.map { -$0 }
        case .function(let function, let argument):
            let inner = try argument.evaluate(rowCount: rowCount, source: &source)
            let transform = Expression.numericFunction(named: function) ?? { _ in .nan }
            let values = inner.map(transform)
            source.noteStep(self, result: values, arguments: [inner])
            return values
        case .arithmetic(let operation, let left, let right):
            let first = try left.evaluate(rowCount: rowCount, source: &source)
            let second = try right.evaluate(rowCount: rowCount, source: &source)
            var values = [Double](repeating: .nan, count: rowCount)
            for row in 0..<rowCount { values[row] = operation.apply(first[row], second[row]) }
            source.noteStep(self, result: values, arguments: [first, second])
            return values
        case .comparison(let operation, let left, let right):
            let first = try left.evaluate(rowCount: rowCount, source: &source)
            let second = try right.evaluate(rowCount: rowCount, source: &source)
            var values = [Double](repeating: .nan, count: rowCount)
            for row in 0..<rowCount where !first[row].isNaN && !second[row].isNaN {
                values[row] = operation.holds(first[row], second[row]) ? 1 : 0
            }
            source.noteStep(self, result: values, arguments: [first, second])
            return values
        }
    }
}
