// Decimal number parsing for CSV fields.
//
// Goals, in order:
//  1. Exact, round-trip-correct numbers: every result is the correctly rounded double, bit for
//     bit what `strtod` returns for the same token, so estimates match other software to the
//     last digit and `"\(x)"` always reads back as `x`.
//  2. Speed: the common short decimal ("12.5", "2019", "-0.000123") converts with one exact
//     multiplication or division (Clinger's fast path) straight from the bytes, with no copy,
//     allocation or locale lookup.
//  3. Only then generality: long mantissas and extreme exponents go to `strtod` on a copy of
//     the token, which is slow but rare in real data.
//
// The grammar is deliberately narrower than `strtod`'s: optional sign, digits with an optional
// decimal point (at least one digit), optional exponent, or the words inf, infinity and nan in
// any case. Hexadecimal floats are not numbers here, so an identifier such as 0x1F stays text.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts decimal text to `Double` with correct rounding.
enum DecimalParser {
    /// Parses the longest number at the start of `start..<end` (no leading spaces) and returns
    /// it with the position just past it, or `nil` when no number starts there.
    ///
    /// Callers decide whether the bytes after the number end the field.
    @inline(__always)
    static func parsePrefix(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
    ) -> (value: Double, end: UnsafePointer<UInt8>)? {
        var p = start
        let negative = skipSign(&p, end)
        let afterSign = p
        // Typical fields have at most 19 digits, which fit a UInt64 whatever they are, so the
        // loops only accumulate; longer digit strings are redone by the careful parser.
        // Wrapping arithmetic: past 19 digits the result is discarded, so overflow is harmless.
        var mantissa: UInt64 = 0
        accumulateDigits(&p, end, into: &mantissa)
        var digits = p - afterSign
        var exponent = 0
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            let fractionStart = p
            accumulateDigits(&p, end, into: &mantissa)
            exponent = fractionStart - p
            digits -= exponent
        }
        if digits == 0 {
            // A lone "." or "-." is not a number, and ".inf" must not become one.
            return p == afterSign ? parseWord(p, end, negative: negative) : nil
        }
        if digits > 19 {
            return parseLongPrefix(start, end)
        }
        return finish(start, p, end, negative: negative, mantissa: mantissa, exponent: exponent, exact: true)
    }

    /// Moves `p` past an optional `-` or `+`; true when it was `-`.
    @inline(__always)
    static func skipSign(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        guard p < end else { return false }
        let first = p.pointee
        if first == UInt8(ascii: "-") {
            p += 1
            return true
        }
        if first == UInt8(ascii: "+") { p += 1 }
        return false
    }

    /// The number whose digits end at `p` (`mantissa` × 10^`exponent`, with the sign), after
    /// reading an exponent if one follows. `exact` says the mantissa holds every digit, so
    /// Clinger's fast path may apply; otherwise, or when it does not, `strtod` rounds the token.
    @inline(__always)
    static func finish(
        _ start: UnsafePointer<UInt8>, _ digitsEnd: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
        negative: Bool, mantissa: UInt64, exponent: Int, exact: Bool
    ) -> (value: Double, end: UnsafePointer<UInt8>)? {
        var p = digitsEnd
        var exponent = exponent
        if p < end && (p.pointee | 0x20) == UInt8(ascii: "e") {
            guard let (power, after) = parseExponent(p + 1, end) else { return nil }
            exponent += power
            p = after
        }
        if mantissa == 0 {
            return (negative ? -0.0 : 0.0, p)
        }
        if exact, let magnitude = fastPath(mantissa: mantissa, exponent: exponent) {
            return (negative ? -magnitude : magnitude, p)
        }
        return (slowPath(start, p), p)
    }

    /// Appends the decimal digits at `p` to `mantissa` (wrapping) and moves `p` past them.
    ///
    /// Up to eight digits at a time: one unaligned load, a test of all eight bytes at once that
    /// yields how many leading bytes are digits, then three multiply-and-add steps that combine
    /// neighbouring digits into pairs, quads and one eight-digit number. Most fields are runs
    /// of at most eight digits ("2019", "1000054", the decimals of "0.316219996"), which this
    /// converts in one step instead of a loop with a branch per digit.
    @inline(__always)
    static func accumulateDigits(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, into mantissa: inout UInt64) {
        while end - p >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
            // A byte is a digit when byte ^ 0x30 is below 10: adding 0x76 then sets its top bit
            // exactly for 10 and above. A carry out of a byte only disturbs later bytes, which
            // come after a non-digit and do not count.
            let offsets = word ^ 0x3030_3030_3030_3030
            let nonDigits = ((offsets &+ 0x7676_7676_7676_7676) | offsets) & 0x8080_8080_8080_8080
            // The first character is the lowest byte, so trailing zero bits count leading digits.
            let count = nonDigits.trailingZeroBitCount >> 3
            if count == 0 { return }
            // Shift the digits to the top; the vacated low bytes become leading zeros.
            var value = (word &- 0x3030_3030_3030_3030) &<< UInt64((8 - count) * 8)
            value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF_00FF_00FF
            value = (value &* 100 &+ (value >> 16)) & 0x0000_FFFF_0000_FFFF
            value = (value &* 10000 &+ (value >> 32)) & 0x0000_0000_FFFF_FFFF
            mantissa = mantissa &* powerOfTen(count) &+ value
            p += count
            if count < 8 { return }
        }
        while p < end {
            let digit = p.pointee &- UInt8(ascii: "0")
            if digit > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            p += 1
        }
    }

    /// 10^k as an integer for 1 <= k <= 8.
    @inline(__always)
    static func powerOfTen(_ k: Int) -> UInt64 {
        switch k {
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }

    /// Like `parsePrefix`, for numbers with more than 19 digits: keeps the first 19 significant
    /// digits and notes whether any dropped digit was non-zero (then only strtod can round).
    @inline(never)
    static func parseLongPrefix(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
    ) -> (value: Double, end: UnsafePointer<UInt8>)? {
        var p = start
        let negative = skipSign(&p, end)
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var dropped = false
        while p < end {
            let digit = p.pointee &- UInt8(ascii: "0")
            if digit > 9 { break }
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1
                if digit != 0 { dropped = true }
            }
            p += 1
        }
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            while p < end {
                let digit = p.pointee &- UInt8(ascii: "0")
                if digit > 9 { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    exponent -= 1
                    if mantissa != 0 { significant += 1 }
                } else if digit != 0 {
                    dropped = true
                }
                p += 1
            }
        }
        return finish(start, p, end, negative: negative, mantissa: mantissa, exponent: exponent, exact: !dropped)
    }

    /// Parses the exponent after "e": an optional sign and at least one digit ("1e" and "1e+"
    /// are not numbers here). Returns the power of ten and the position after it.
    @inline(__always)
    static func parseExponent(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
    ) -> (power: Int, end: UnsafePointer<UInt8>)? {
        var q = start
        let negative = skipSign(&q, end)
        let digitsStart = q
        var value = 0
        while q < end {
            let digit = q.pointee &- UInt8(ascii: "0")
            if digit > 9 { break }
            // Saturate: anything this large already over- or underflows, and saturating keeps
            // the arithmetic from overflowing on absurd exponents.
            if value < 1_000_000 { value = value * 10 + Int(digit) }
            q += 1
        }
        guard q > digitsStart else { return nil }
        return (negative ? -value : value, q)
    }

    /// Parses a whole token (already trimmed); `nil` unless all of it is one number.
    static func parse(_ token: UnsafeRawBufferPointer) -> Double? {
        guard let base = token.baseAddress, token.count > 0 else { return nil }
        let start = base.assumingMemoryBound(to: UInt8.self)
        let end = start + token.count
        guard let (value, stop) = parsePrefix(start, end), stop == end else { return nil }
        return value
    }

    /// Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles,
    /// because one IEEE multiplication or division is correctly rounded.
    @inline(__always)
    static func fastPath(mantissa: UInt64, exponent: Int) -> Double? {
        guard mantissa <= 1 << 53 else { return nil }
        if exponent < 0 {
            return exponent >= -22 ? Double(mantissa) / exactPowerOfTen(-exponent) : nil
        }
        if exponent <= 22 {
            return Double(mantissa) * exactPowerOfTen(exponent)
        }
        return largeExponentFastPath(mantissa: mantissa, exponent: exponent)
    }

    /// "12e25": moves surplus powers of ten into the integer while it stays exact, then
    /// multiplies once by 1e22.
    @inline(never)
    static func largeExponentFastPath(mantissa: UInt64, exponent: Int) -> Double? {
        let limit: UInt64 = 1 << 53
        guard exponent <= 22 + 15 else { return nil }
        var scaled = mantissa
        for _ in 0..<(exponent - 22) {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow || product > limit { return nil }
            scaled = product
        }
        return Double(scaled) * 1e22
    }

    /// 10^k for 0 <= k <= 22, all exactly representable; a switch becomes a lookup table
    /// without the lazy-initialisation check of a global array.
    @inline(__always)
    static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// Hands a validated token to `strtod`, which rounds correctly for any length.
    @inline(never)
    static func slowPath(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double {
        let count = end - start
        let parsed: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) {
            buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            UnsafeMutableRawPointer(base).copyMemory(from: start, byteCount: count)
            base[count] = 0
            var stop: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(base, &stop)
            // A process that set a locale with a decimal comma makes strtod stop at the
            // point; detect that rather than return a truncated number.
            guard stop == base + count else { return nil }
            return value
        }
        if let parsed { return parsed }
        // Swift's own conversion ignores the C locale and is also correctly rounded.
        let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// Recognises inf, infinity and nan (any case) after an optional sign; R writes Inf and -Inf.
    static func parseWord(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, negative: Bool
    ) -> (value: Double, end: UnsafePointer<UInt8>)? {
        if matches(start, end, "infinity") {
            return (negative ? -.infinity : .infinity, start + 8)
        }
        if matches(start, end, "inf") {
            return (negative ? -.infinity : .infinity, start + 3)
        }
        if matches(start, end, "nan") {
            return (.nan, start + 3)
        }
        return nil
    }

    /// Whether the bytes at `start` spell the lower-case ASCII `word`, ignoring case.
    @inline(__always)
    static func matches(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard end - start >= length else { return false }
        let letters = word.utf8Start
        for i in 0..<length where (start[i] | 0x20) != letters[i] {
            return false
        }
        return true
    }
}
