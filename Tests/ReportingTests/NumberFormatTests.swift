import Primitives
import Testing

/// The one number formatter (Sources/Primitives/NumberFormat.swift) on values whose printed form
/// follows from C's printf rules: the two short forms keep their own digits (%.3g for the
/// command line's warnings, %.4g for the DiD notes), so that merging the two formatters that
/// shared a name changed no output.
@Suite struct NumberFormatTests {
    @Test func shortFormsKeepTheirDigits() {
        // 1/199 to three and four significant digits.
        #expect(NumberFormat.short3g(1.0 / 199) == "0.00503")
        #expect(NumberFormat.short4g(1.0 / 199) == "0.005025")
        #expect(NumberFormat.short3g(0.123456) == "0.123")
        #expect(NumberFormat.short4g(0.123456) == "0.1235")
        // Below 1e-4 the command line's form keeps two digits, with printf's exponent.
        #expect(NumberFormat.short3g(0.00001234) == "1.2e-05")
        #expect(NumberFormat.short4g(0.00001234) == "1.234e-05")
        // A negative zero prints as 0 in both; non-finite values as NA.
        #expect(NumberFormat.short3g(-0.0) == "0")
        #expect(NumberFormat.short4g(-0.0) == "0")
        #expect(NumberFormat.short3g(.nan) == "NA")
        #expect(NumberFormat.short4g(.infinity) == "NA")
    }

    @Test func percentagesAndBytes() {
        #expect(NumberFormat.percent(0.95) == "95%")
        #expect(NumberFormat.percent(0.975) == "97.5%")
        #expect(NumberFormat.bytes(2.4e11) == "240 GB")
        #expect(NumberFormat.bytes(8.8e10) == "88.0 GB")
        #expect(NumberFormat.bytes(512) == "512 bytes")
    }

    @Test func significantPValuesAndFixedDecimals() {
        #expect(NumberFormat.significant(1234.5678, digits: 6) == "1234.57")
        #expect(NumberFormat.significant(0.000123456, digits: 3) == "0.000123")
        #expect(NumberFormat.significant(1e-7, digits: 3) == "1.00e-07")
        #expect(NumberFormat.pValue(1e-20) == "< 2.2e-16")
        #expect(NumberFormat.pValue(0.0123) == "0.0123")
        #expect(NumberFormat.fixed(2.0 / 3, decimals: 3) == "0.667")
        #expect(NumberFormat.fixed(.nan, decimals: 3) == "NA")
        #expect(NumberFormat.leftPad("ab", 4) == "  ab")
        #expect(NumberFormat.rightPad("ab", 4) == "ab  ")
        #expect(NumberFormat.grouped(-1234567) == "-1,234,567")
    }
}
