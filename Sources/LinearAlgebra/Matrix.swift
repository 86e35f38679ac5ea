/// A dense, column-major matrix of `Double`, laid out as BLAS and LAPACK expect.
///
/// Element (r, c) is stored at `values[r + c * rows]`, so a column is a contiguous slice and can be
/// handed to BLAS without copying.
public struct Matrix: Equatable, Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The elements in column-major order.
    public var values: [Double]

    /// Creates a matrix with every element set to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")  // invariant: callers pass counts
        self.rows = rows
        self.columns = columns
        self.values = Array(repeating: value, count: rows * columns)
    }

    /// Creates a matrix from column-major values; the count must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "matrix storage does not match its shape")  // invariant
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Creates a matrix whose columns are the given arrays, all of the same length.
    public init(columns columnArrays: [[Double]], rows: Int) {
        self.rows = rows
        self.columns = columnArrays.count
        var storage = [Double]()
        storage.reserveCapacity(rows * columnArrays.count)
        for column in columnArrays {
            precondition(column.count == rows, "every column must have \(rows) rows")  // invariant
            storage.append(contentsOf: column)
        }
        self.values = storage
    }

    /// The identity matrix of the given order.
    public static func identity(_ order: Int) -> Matrix {
        var result = Matrix(rows: order, columns: order)
        for index in 0..<order { result[index, index] = 1 }
        return result
    }

    /// The element in row `row` and column `column`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { values[row + column * rows] }
        set { values[row + column * rows] = newValue }
    }

    /// A copy of one column.
    public func column(_ index: Int) -> [Double] {
        Array(values[(index * rows)..<((index + 1) * rows)])
    }

    /// The diagonal of a square matrix.
    public var diagonal: [Double] {
        (0..<Swift.min(rows, columns)).map { self[$0, $0] }
    }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for c in 0..<columns {
            for r in 0..<rows { result[c, r] = self[r, c] }
        }
        return result
    }

    /// The sub-matrix made of the given rows and columns, in the given order.
    public func selecting(rows rowIndices: [Int], columns columnIndices: [Int]) -> Matrix {
        var result = Matrix(rows: rowIndices.count, columns: columnIndices.count)
        for (newColumn, oldColumn) in columnIndices.enumerated() {
            for (newRow, oldRow) in rowIndices.enumerated() {
                result[newRow, newColumn] = self[oldRow, oldColumn]
            }
        }
        return result
    }

    /// The sub-matrix made of the given columns, all rows kept.
    public func selecting(columns columnIndices: [Int]) -> Matrix {
        var storage = [Double]()
        storage.reserveCapacity(rows * columnIndices.count)
        for index in columnIndices {
            storage.append(contentsOf: values[(index * rows)..<((index + 1) * rows)])
        }
        return Matrix(rows: rows, columns: columnIndices.count, values: storage)
    }

    /// Copies the upper triangle into the lower one (BLAS `syrk` fills only one triangle).
    public mutating func symmetrizeFromUpper() {
        guard rows == columns else { return }
        for c in 0..<columns {
            for r in (c + 1)..<Swift.max(rows, c + 1) { self[r, c] = self[c, r] }
        }
    }
}

extension Matrix {
    /// Elementwise sum of two matrices of the same shape.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch")  // invariant
        return Matrix(rows: lhs.rows, columns: lhs.columns, values: zip(lhs.values, rhs.values).map { $0 + $1 })
    }

    /// Elementwise difference of two matrices of the same shape.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch")  // invariant
        return Matrix(rows: lhs.rows, columns: lhs.columns, values: zip(lhs.values, rhs.values).map { $0 - $1 })
    }

    /// The matrix with every element multiplied by `scalar`.
    public static func * (scalar: Double, matrix: Matrix) -> Matrix {
        Matrix(rows: matrix.rows, columns: matrix.columns, values: matrix.values.map { scalar * $0 })
    }
}
