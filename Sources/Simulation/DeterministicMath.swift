/// Exponential and natural logarithm computed with IEEE arithmetic only.
///
/// The platform libm is not required to round `exp` and `log` identically everywhere, and a
/// last-bit difference can flip a rounded USD figure. These versions use range reduction and
/// fixed polynomial series, so every machine that follows IEEE 754 gets identical bits. They
/// are accurate to a few units in the last place, far more than a simulation needs.
enum DeterministicMath {
    /// ln 2 split (the fdlibm constants) so that `k * ln2High` is exact for every k that occurs.
    private static let ln2High = 6.931_471_803_691_238_164_90e-01
    private static let ln2Low = 1.908_214_929_270_587_700_02e-10
    private static let sqrt2 = 1.414_213_562_373_095_1

    /// e^x; 0 below −745 and +∞ above 709.78.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.78 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / 0.693_147_180_559_945_3).rounded()
        let r = (x - k * ln2High) - k * ln2Low
        // Taylor series of e^r for |r| <= 0.347: after 16 terms the remainder is below 1e-20.
        var sum = 1.0
        var term = 1.0
        for n in 1...16 {
            term = term * r / Double(n)
            sum += term
        }
        return scale(sum, by: Int(k))
    }

    /// Multiplies by 2^k in steps that keep each product exact (including subnormal results).
    private static func scale(_ value: Double, by k: Int) -> Double {
        var result = value
        var remaining = k
        while remaining > 1000 { result *= 0x1.0p1000; remaining -= 1000 }
        while remaining < -1000 { result *= 0x1.0p-1000; remaining += 1000 }
        return result * Double(sign: .plus, exponent: remaining, significand: 1)
    }

    /// The natural logarithm; −∞ at 0 and NaN for negative input.
    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        var exponent = Int(x.exponent)
        var mantissa = x.significand  // in [1, 2), exact for normal and subnormal inputs
        if mantissa > sqrt2 {
            mantissa /= 2
            exponent += 1
        }
        // log m = 2 atanh(s) with |s| <= 0.1716, so 12 odd terms reach double precision.
        let s = (mantissa - 1) / (mantissa + 1)
        let s2 = s * s
        var power = s
        var series = 0.0
        for n in 0..<13 {
            series += power / Double(2 * n + 1)
            power *= s2
        }
        let e = Double(exponent)
        return e * ln2High + (e * ln2Low + 2 * series)
    }
}
