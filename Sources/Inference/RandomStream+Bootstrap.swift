import Foundation
import Primitives

/// The draws the bootstraps take from a replicate's stream (`RandomStream(seed:replicate:)`).
extension RandomStream {
    /// A standard normal draw (Box–Muller; one of the pair is discarded to keep the stream simple).
    public mutating func nextNormal() -> Double {
        var u = nextUniform()
        while u <= 0 { u = nextUniform() }
        let v = nextUniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }

    /// A uniform integer in 0..<bound (Lemire's nearly divisionless method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")  // invariant: callers pass cluster counts ≥ 1
        let range = UInt64(bound)
        var product = nextBits().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = nextBits().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}
