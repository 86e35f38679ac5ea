import Foundation
import Testing
@testable import PanelData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Number parsing is correctly rounded")
struct NumberParsingTests {
    /// The parser's value for a whole token, or `nil` if it is not a number.
    static func parsed(_ token: String) -> Double? {
        Array(token.utf8).withUnsafeBytes { DecimalParser.parse($0) }
    }

    /// What `strtod` makes of a whole token.
    static func reference(_ token: String) -> Double {
        token.withCString { strtod($0, nil) }
    }

    static func same(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
    }

    static let edgeCases = [
        "0", "-0", "+0", "0.0", "00000", "0e0", "0e-999", "-0.0e5",
        "0.1", "0.2", "0.3", "1e23", "9007199254740992", "9007199254740993", "9007199254740994",
        "9007199254740995", "18014398509481985", "123456789012345678", "1234567890123456789",
        "12345678901234567890", "123456789012345678901234567890", "0.30000000000000004",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-320", "1e-323", "1e-324",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308",
        "1e309", "-1e400", "1e-400", "3.141592653589793", "2.718281828459045", "1e22", "1e-22",
        "123e20", "123e25", "9007199254740993e22", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "0.000000000000000000000000000000000000000000001", "100000000000000000000000",
        "8.98846567431158e307", "4.35679845e-309", ".5", "5.", "-.25", "+.25e+2", "1E5", "1e+05",
        "0.995507955", "-0.247667591", "1000101", "2019", "inf", "-Inf", "INFINITY", "nan",
        "00000000000000000000000000000001.5", "0.00000000000000000000000000000000000000000000001e50",
    ]

    @Test(arguments: edgeCases)
    func edgeCaseMatchesStrtod(token: String) {
        #expect(Self.same(Self.parsed(token), Self.reference(token)), "\(token)")
    }

    @Test func randomTokensMatchStrtod() {
        var generator = SeededGenerator(seed: 2024)
        var mismatches: [String] = []
        for _ in 0..<100_000 {
            let token = Self.randomToken(using: &generator)
            if !Self.same(Self.parsed(token), Self.reference(token)) {
                mismatches.append(token)
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func randomTokensMatchSwiftDoubleInit() {
        var generator = SeededGenerator(seed: 77)
        for _ in 0..<20_000 {
            let token = Self.randomToken(using: &generator)
            guard let expected = Double(token) else { continue }
            #expect(Self.same(Self.parsed(token), expected), "\(token)")
        }
    }

    /// Random doubles written with Swift's shortest round-trip representation must read back
    /// bit for bit, through the whole reader (fast path and strtod fallback alike).
    @Test func shortestRepresentationRoundTrips() throws {
        var generator = SeededGenerator(seed: 11)
        var values: [Double] = []
        for i in 0..<50_000 {
            switch i % 4 {
            case 0: values.append(Double(bitPattern: generator.next()))
            case 1: values.append(Double.random(in: -1...1, using: &generator))
            case 2: values.append(Double.random(in: -1e6...1e6, using: &generator).rounded() / 1000)
            default: values.append(Double(bitPattern: generator.next() >> 12))
            }
        }
        values = values.filter { !$0.isNaN }
        let text = "v\n" + values.map { "\($0)" }.joined(separator: "\n") + "\n"
        let table = try readCSV(text, options: smallBlocks(threads: 2, blockSize: 100_000))
        let read = try #require(table.column(named: "v")?.numbers)
        #expect(read.count == values.count)
        var mismatches = 0
        for (a, b) in zip(read, values) where a.bitPattern != b.bitPattern { mismatches += 1 }
        #expect(mismatches == 0)
    }

    @Test func notNumbers() {
        for token in ["", ".", "-", "+", "e5", ".e5", "1e", "1e+", "0x10", "1.2.3", " 1", "1 ", ".inf", "in", "nana", "--1"] {
            #expect(Self.parsed(token) == nil, "\(token)")
        }
    }

    /// A random decimal token: varying digit counts (up to 25), leading zeros, a point
    /// anywhere, exponents from subnormal to overflow.
    static func randomToken(using generator: inout SeededGenerator) -> String {
        var token = ""
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: token += "-"
        case 1: token += "+"
        default: break
        }
        let digitCount = Int.random(in: 1...25, using: &generator)
        var digits = (0..<digitCount).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) }
        if Int.random(in: 0..<4, using: &generator) == 0 {
            digits.insert(contentsOf: Array(repeating: "0", count: Int.random(in: 1...5, using: &generator)), at: 0)
        }
        if Int.random(in: 0..<3, using: &generator) != 0 {
            let point = Int.random(in: 0...digits.count, using: &generator)
            digits.insert(".", at: point)
        }
        token += String(digits)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
            token += "e\(Int.random(in: -340...310, using: &generator))"
        case 1:
            token += "E\(Int.random(in: -25...25, using: &generator))"
        default:
            break
        }
        if token.hasSuffix(".") && token.count == 1 { token = "0" }
        return token
    }
}
