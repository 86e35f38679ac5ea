import LinearAlgebra
import Testing

/// A reproducible pseudo-random stream for building test matrices.
struct TestStream {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) - 0.5
    }
}

@Suite struct LeastSquaresTests {
    func randomDesign(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var stream = TestStream(state: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in stream.next() })
    }

    @Test func recoversExactCoefficients() throws {
        let design = randomDesign(rows: 50, columns: 4, seed: 3)
        let truth = [1.5, -2.0, 0.25, 3.0]
        let response = try design.times(truth)
        let solution = try LeastSquaresSolver().solve(design: design, response: response)
        #expect(solution.method == .cholesky)
        for (estimate, expected) in zip(solution.coefficients, truth) { #expect(abs(estimate - expected) < 1e-12) }
    }

    @Test func choleskyAndQRAgreeOnWellConditionedDesigns() throws {
        let design = randomDesign(rows: 80, columns: 5, seed: 9)
        var stream = TestStream(state: 1)
        let response = (0..<80).map { _ in stream.next() }
        let cholesky = try LeastSquaresSolver().solve(design: design, response: response)
        let qr = try LeastSquaresSolver(choleskyPivotFloor: 2).solve(design: design, response: response)
        #expect(qr.method == .qr)
        for (a, b) in zip(cholesky.coefficients, qr.coefficients) { #expect(abs(a - b) < 1e-12 * max(1, abs(b))) }
        for (a, b) in zip(cholesky.inverseCrossProduct.values, qr.inverseCrossProduct.values) { #expect(abs(a - b) < 1e-10 * max(1, abs(b))) }
    }

    @Test func dropsTheLaterOfCollinearColumns() throws {
        var design = randomDesign(rows: 40, columns: 4, seed: 5)
        for row in 0..<40 { design[row, 2] = design[row, 0] - 3 * design[row, 1] }  // column 2 is a combination
        var stream = TestStream(state: 2)
        let response = (0..<40).map { _ in stream.next() }
        let solution = try LeastSquaresSolver().solve(design: design, response: response)
        #expect(solution.droppedColumns == [2])
        #expect(solution.keptColumns == [0, 1, 3])
    }

    @Test func zeroColumnIsDropped() throws {
        var design = randomDesign(rows: 20, columns: 3, seed: 8)
        for row in 0..<20 { design[row, 1] = 0 }
        let solution = try LeastSquaresSolver().solve(design: design, response: Array(repeating: 1, count: 20))
        #expect(solution.droppedColumns == [1])
    }

    @Test func lapackFailuresAreTypedErrors() throws {
        let indefinite = Matrix(rows: 2, columns: 2, values: [1, 2, 2, 1])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 2)) { try indefinite.choleskyUpper() }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).choleskyUpper() }
    }

    @Test func crossProductMatchesDefinition() throws {
        let design = randomDesign(rows: 30, columns: 3, seed: 4)
        let product = design.crossProduct()
        for i in 0..<3 {
            for j in 0..<3 {
                var sum = 0.0
                for row in 0..<30 { sum += design[row, i] * design[row, j] }
                #expect(abs(product[i, j] - sum) < 1e-12)
            }
        }
    }

    @Test func symmetricEigenReconstructs() throws {
        let matrix = Matrix(rows: 3, columns: 3, values: [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2])
        let (values, vectors) = try matrix.symmetricEigen()
        var diagonal = Matrix(rows: 3, columns: 3)
        for index in 0..<3 { diagonal[index, index] = values[index] }
        let rebuilt = try vectors.multiplied(by: diagonal).multiplied(by: vectors, transposeOther: true)
        for (a, b) in zip(rebuilt.values, matrix.values) { #expect(abs(a - b) < 1e-12) }
    }
}
