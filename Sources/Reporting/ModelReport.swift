import Primitives
/// What a list of models needs of one fitted model's results, whatever the estimator (`feols`'s
/// `CoefficientTable`, `fepois`'s `PoissonTable`): its coefficient rows and its renderings.
public protocol ModelReport: Sendable {
    /// The coefficients with their inference.
    var rows: [CoefficientRow] { get }
    /// The single-model JSON object.
    var json: JSONValue { get }
    /// The plain-text summary.
    var text: String { get }
    /// The Markdown table.
    var markdown: String { get }
    /// The LaTeX table.
    var latex: String { get }
}

extension CoefficientTable: ModelReport {}
extension PoissonTable: ModelReport {}
