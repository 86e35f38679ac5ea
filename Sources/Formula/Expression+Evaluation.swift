import Foundation

extension Expression {
    /// The numeric function a formula's function name stands for (`log`, `exp`, `sqrt`, `abs`,
    /// `log1p`), or nil for a name the parser does not know. Kept beside the parser's list so the
    /// two cannot drift apart.
    public static func numericFunction(named name: String) -> ((Double) -> Double)? {
        switch name {
        case "log": return { Foundation.log($0) }
        case "exp": return { Foundation.exp($0) }
        case "sqrt": return { $0.squareRoot() }
        case "abs": return { Swift.abs($0) }
        case "log1p": return { Foundation.log1p($0) }
        default: return nil
        }
    }
}
