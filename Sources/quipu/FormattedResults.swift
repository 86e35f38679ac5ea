import Primitives
import Reporting

/// Results that can be written in every `OutputFormat`: one regression's table or a list of them.
protocol FormattedResults {
    var text: String { get }
    var json: JSONValue { get }
    var markdown: String { get }
    var latex: String { get }
    var csv: String { get }
}

extension CoefficientTable: FormattedResults {}
extension ModelList: FormattedResults {}

extension FormattedOutputOptions where Format == OutputFormat {
    /// Writes `results` in the format asked for.
    func emit(_ results: some FormattedResults) throws {
        switch format {
        case .text: try emit(results.text)
        case .json: try emit(results.json.serialized() + "\n")
        case .markdown: try emit(results.markdown)
        case .latex: try emit(results.latex)
        case .csv: try emit(results.csv)
        }
    }
}
