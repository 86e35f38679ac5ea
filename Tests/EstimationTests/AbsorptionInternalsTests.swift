@testable import Estimation
import Foundation
import Inference
import LinearAlgebra
import Primitives
import Testing

/// Paths inside the absorber and the bootstrap's dummy block that the end-to-end fixtures do not
/// reach: both are chosen by problem size, so each test makes the other choice and compares.
@Suite struct AbsorptionInternalsTests {
    /// A factor with more than a quarter as many levels as rows is summed with one lane per
    /// level, a small one with four; either way the absorbed variable must have (numerically)
    /// zero sum within every level of every factor, the defining property of the projection.
    @Test func absorbedVariableHasZeroLevelSumsWithOneAndFourLanes() throws {
        let rows = 40_000
        var stream = RandomStream(seed: 11, replicate: 0)
        let pairs = Factor(name: "pair", denseCodes: (0..<rows).map { Int32($0 / 2) }, levelCount: rows / 2)
        let year = Factor(name: "year", denseCodes: (0..<rows).map { _ in Int32(stream.nextInt(below: 10)) }, levelCount: 10)
        let lanes = PartialSums(levelCounts: [pairs.levelCount, year.levelCount], rows: rows).lanes
        #expect(lanes == [1, 4])
        var column = (0..<rows).map { index in Double(index % 2) * 3 + stream.nextNormal() + Double(pairs.codes[index] % 17) }
        let scale = column.withUnsafeMutableBufferPointer { FixedEffectAbsorber.scale(of: $0, weights: nil) }
        let absorber = FixedEffectAbsorber(factors: [pairs, year], weights: nil, tolerance: 1e-12)
        _ = try column.withUnsafeMutableBufferPointer { try absorber.absorb($0, name: "v") }
        for factor in [pairs, year] {
            var sums = [Double](repeating: 0, count: factor.levelCount)
            for index in 0..<rows { sums[Int(factor.codes[index])] += column[index] }
            let largest = sums.map(abs).max() ?? .infinity
            #expect(largest < 1e-8 * scale * Double(rows / factor.levelCount), "level sums of \(factor.name) up to \(largest)")
        }
    }

    /// The dummy block's Gram matrix counted densely and through the hash map of met cells.
    @Test func dummyBlockIsTheSameCountedDenselyOrSparsely() throws {
        var stream = RandomStream(seed: 5, replicate: 0)
        let rows = 600
        let firm = Factor(name: "firm", denseCodes: (0..<rows).map { Int32($0 / 12) }, levelCount: rows / 12)
        let year = Factor(name: "year", denseCodes: (0..<rows).map { _ in Int32(stream.nextInt(below: 9)) }, levelCount: 9)
        let dense = try #require(WildBootstrapDummyBlock.make(nested: firm, other: year))
        let sparse = try #require(WildBootstrapDummyBlock.make(nested: firm, other: year, denseCellLimit: 0))
        #expect(dense.codes == sparse.codes && dense.count == 8)
        for (a, b) in zip(dense.inverseGram.values, sparse.inverseGram.values) {
            #expect(abs(a - b) <= 1e-12 * max(1, abs(a)))
        }
    }
}
