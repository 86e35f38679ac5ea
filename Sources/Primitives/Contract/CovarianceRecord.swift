/// A covariance matrix with the labels of its rows and columns (the same labels in the same order),
/// so that a result can feed other tools (R HonestDiD, Python): `labels`, and `matrix` as rows,
/// NA entries as null. did writes one per aggregate set of each estimator (`covariances`), feols
/// and fepois the coefficients' (`vcov_matrix`).
public struct CovarianceRecord: JSONRecord, Sendable {
    public var labels: [String]
    /// Row-major: `matrix[i][j]` is the covariance of `labels[i]` and `labels[j]`.
    public var matrix: [[Double]]

    public init(labels: [String], matrix: [[Double]]) {
        self.labels = labels
        self.matrix = matrix
    }

    /// The long form: one (row label, column label, value) per entry, row by row.
    public var longForm: [(row: String, column: String, value: Double)] {
        labels.indices.flatMap { i in labels.indices.map { j in (row: labels[i], column: labels[j], value: matrix[i][j]) } }
    }
}
