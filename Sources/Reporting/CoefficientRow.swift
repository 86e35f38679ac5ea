import Inference
import Primitives

/// One row of a coefficient table (feols's and fepois's): a view of one estimate of the
/// regression's EstimateInference, with the text, JSON and CSV forms both tables share.
public struct CoefficientRow: Sendable {
    public let term: String
    public let estimate: Double
    public let standardError: Double
    public let statistic: Double
    public let pValue: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double

    /// The rows of the estimates named `terms`, with the figures their inference derives.
    static func rows(terms: [String], inference: EstimateInference, level: Double) -> [CoefficientRow] {
        zip(terms, inference.rows(level: level)).map { term, row in
            CoefficientRow(term: term, estimate: row.estimate, standardError: row.standardError, statistic: row.statistic,
                           pValue: row.pValue, confidenceLow: row.low, confidenceHigh: row.high)
        }
    }

    /// The header of the text table: `t value`/`Pr(>|t|)` or `z value`/`Pr(>|z|)` as the
    /// distribution is t or normal, with the stars column and the interval at `level` (in %).
    static func textHeader(_ distribution: ReferenceDistribution, level: String) -> [String] {
        let letter = distribution.degreesOfFreedom == nil ? "z" : "t"
        return ["", "Estimate", "Std. Error", "\(letter) value", "Pr(>|\(letter)|)", "", "\(level)% low", "\(level)% high"]
    }

    /// The stars column of the text table.
    static let textStarsColumn = 5

    /// The cells of the text table, in the order of `textHeader`.
    var textCells: [String] {
        [term, NumberFormat.significant(estimate), NumberFormat.significant(standardError),
         NumberFormat.significant(statistic), NumberFormat.pValue(pValue), NumberFormat.stars(pValue),
         NumberFormat.significant(confidenceLow), NumberFormat.significant(confidenceHigh)]
    }

    /// The coefficient as the output contract writes it (`term`, then its inference).
    var record: CoefficientRecord {
        CoefficientRecord(term: term, inference: InferenceRecord(estimate: estimate, standardError: standardError, statistic: statistic,
                                                                 pValue: pValue, confidenceLow: confidenceLow, confidenceHigh: confidenceHigh))
    }

    /// The CSV numbers after the term (`estimate,std_error,statistic,p_value,conf_low,conf_high`).
    var csvNumbers: [Double] { [estimate, standardError, statistic, pValue, confidenceLow, confidenceHigh] }

    /// Rows of cells in columns: the first left-aligned, the rest right-aligned, a stars column
    /// left-aligned after one space.
    static func aligned(_ cells: [[String]], starsColumn: Int?) -> [String] {
        guard let header = cells.first else { return [] }
        let widths = (0..<header.count).map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            var line = NumberFormat.rightPad(row[0], widths[0])
            for column in 1..<row.count {
                line += column == starsColumn ? " " + NumberFormat.rightPad(row[column], 3)
                                              : "  " + NumberFormat.leftPad(row[column], widths[column])
            }
            return line
        }
    }
}
