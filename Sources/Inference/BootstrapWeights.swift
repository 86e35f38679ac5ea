import Foundation
import Primitives

/// The distribution of the wild bootstrap's per-cluster multipliers.
public enum BootstrapWeights: String, Sendable, CaseIterable {
    /// ±1 with probability ½ each (the default; enumerable when clusters are few).
    case rademacher
    /// Webb's six-point distribution: ±√1.5, ±1, ±√0.5, each with probability 1/6 (Webb 2023),
    /// better than Rademacher with very few clusters.
    case webb
    /// Mammen's two-point distribution matching the third moment: −(√5 − 1)/2 with probability
    /// (√5 + 1)/(2√5), else (√5 + 1)/2.
    case mammen
    /// Standard normal.
    case normal

    /// Webb's six-point distribution: ±√(3/2), ±1, ±√(1/2) with equal probabilities.
    static let webbValues: [Double] = [-1.5.squareRoot(), -1, -0.5.squareRoot(), 0.5.squareRoot(), 1, 1.5.squareRoot()]

    /// Fills `buffer` with successive draws: the same numbers as calling `draw` for each entry,
    /// with the choice of distribution made once.
    public func fill(_ buffer: UnsafeMutableBufferPointer<Double>, from stream: inout RandomStream) {
        switch self {
        case .rademacher:
            for index in buffer.indices { buffer[index] = stream.nextBits() >> 63 == 0 ? -1 : 1 }
        default:
            for index in buffer.indices { buffer[index] = draw(&stream) }
        }
    }

    /// One draw.
    public func draw(_ stream: inout RandomStream) -> Double {
        switch self {
        case .rademacher:
            return stream.nextBits() >> 63 == 0 ? -1 : 1
        case .webb:
            return Self.webbValues[stream.nextInt(below: 6)]
        case .mammen:
            let root5 = 5.0.squareRoot()
            let lowProbability = (root5 + 1) / (2 * root5)
            return stream.nextUniform() < lowProbability ? -(root5 - 1) / 2 : (root5 + 1) / 2
        case .normal:
            return stream.nextNormal()
        }
    }
}
