import Inference
/// Counts the fixed-effect coefficients that the data cannot identify, for the degrees of freedom.
///
/// With fixed effects a and b, a constant can move from every level of a to every level of b
/// within each connected component of the graph whose nodes are the levels and whose edges are the
/// observations: one redundant coefficient per component (Abowd, Creecy & Kramarz 2002; Correia
/// 2016, §4). For two fixed effects this count is exact. For more, it is the count of the first two
/// plus one per further factor, as fixest's `fixef()` "references" (used with
/// `ssc(fixef.force_exact = TRUE)`) and reghdfe's default: exact when the further factors connect
/// everything, a lower bound otherwise. On a connected graph it equals the simple count
/// #FE − 1 that fixest's default `ssc()` and pyfixest use.
public enum FixedEffectRedundancy {
    /// The number of redundant coefficients among `factors` (over the same observations).
    public static func redundantCount(_ factors: [Factor]) -> Int {
        guard factors.count >= 2 else { return 0 }
        return connectedComponents(factors[0], factors[1]) + factors.count - 2
    }

    /// The connected components of the bipartite graph of two factors' levels joined by the
    /// observations (union–find with path halving over the levels).
    public static func connectedComponents(_ first: Factor, _ second: Factor) -> Int {
        let offset = first.levelCount
        let nodes = first.levelCount + second.levelCount
        var parent = (0..<nodes).map { Int32($0) }
        func root(_ node: Int) -> Int {
            var node = node
            while Int(parent[node]) != node {
                parent[node] = parent[Int(parent[node])]
                node = Int(parent[node])
            }
            return node
        }
        var components = nodes
        for row in 0..<min(first.observationCount, second.observationCount) {
            let a = root(Int(first.codes[row]))
            let b = root(offset + Int(second.codes[row]))
            guard a != b else { continue }
            parent[max(a, b)] = Int32(min(a, b))
            components -= 1
        }
        // Levels without observations are not nodes of the graph (they do not occur after
        // densifying, but a caller may pass any factor).
        let sizesFirst = first.levelSizes(), sizesSecond = second.levelSizes()
        let isolated = sizesFirst.filter { $0 == 0 }.count + sizesSecond.filter { $0 == 0 }.count
        return components - isolated
    }
}
