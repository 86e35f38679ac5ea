import Estimation
import Formula
import Foundation
import PanelData
import Testing

/// `DataTable.filtered(by:)`: R's three-valued logic, text and number comparisons, and errors.
@Suite struct RowFilterTests {
    static let csv = """
        id,x,s
        1,1,a
        2,,b
        3,3,
        4,4,a
        5,-1,c

        """

    static func table() throws -> DataTable {
        let bytes = Array(csv.utf8)
        return try bytes.withUnsafeBytes { try CSVReader.read(bytes: $0, source: "t.csv", options: CSVReadOptions()) }
    }

    static func keptIds(_ text: String) throws -> [Double] {
        let (table, _) = try table().filtered(by: try RowFilter.parse(text))
        guard case .numeric(let ids)? = table.column(named: "id") else { return [] }
        return ids
    }

    @Test("comparisons, %in%, is.na and R's NA logic", arguments: [
        ("x > 1", [3.0, 4]),
        ("x > 1 | s == 'b'", [2, 3, 4]),  // NA | TRUE is TRUE
        ("!(x > 1)", [1, 5]),  // !NA is NA: removed
        ("s %in% c('a', 'c')", [1, 4, 5]),  // a missing value is in no list
        ("s != 'a'", [2, 5]),
        ("is.na(x) | is.na(s)", [2, 3]),
        ("log(x) > -1", [1, 3, 4]),  // log(-1) is NaN: missing
        ("I(x^2) == 1", [1, 5]),
        ("x %in% c(-1, 4)", [4, 5]),
    ])
    func semantics(text: String, ids: [Double]) throws {
        #expect(try Self.keptIds(text) == ids, "\(text)")
    }

    @Test("the summary counts rows removed as false and as missing")
    func summary() throws {
        let (_, summary) = try Self.table().filtered(by: try RowFilter.parse("x > 1"))
        #expect(summary == SubsetSummary(expression: "x > 1", rowsBefore: 5, rowsKept: 2, removedFalse: 2, removedMissing: 1))
    }

    @Test("text levels are renumbered over the rows kept, as reading them alone would")
    func relevel() throws {
        let (table, _) = try Self.table().filtered(by: try RowFilter.parse("s != 'a'"), keeping: ["s"])
        #expect(table.names == ["s"])
        guard case .text(let text)? = table.column(named: "s") else { Issue.record("s is not text"); return }
        #expect(text.levels == ["b", "c"])
        #expect(text.codes == [0, 1])
    }

    @Test("errors: unknown column, type mismatches, no rows left", arguments: [
        ("idd == 1", "no column named 'idd'; did you mean 'id'?"),
        ("s == 1", "column 's' is text"),
        ("x == 'a'", "column 'x' is numeric"),
        ("s %in% c(1, 2)", "lists numbers"),
        ("x %in% c('1')", "lists texts"),
        ("s > 'a'", "orders texts"),
        ("log(s) > 0", "cannot enter arithmetic"),
        ("x > 100", "leaves no rows"),
    ])
    func errors(text: String, message: String) throws {
        #expect { try Self.table().filtered(by: try RowFilter.parse(text)) } throws: { error in
            String(describing: error).contains(message)
        }
    }
}

/// Transformations in formulas fit as the pre-transformed column does.
@Suite struct TransformationEquivalenceTests {
    @Test("log1p, asinh, exp, sqrt, I(x^2), log(x + 1) equal their pre-computed columns")
    func transformations() throws {
        var lines: [String] = []
        let transforms: [(formula: String, apply: (Double) -> Double)] = [
            ("log1p(x)", { Foundation.log1p($0) }), ("asinh(x)", { Foundation.asinh($0) }), ("exp(x)", { Foundation.exp($0) }),
            ("sqrt(x)", { $0.squareRoot() }), ("I(x^2)", { $0 * $0 }), ("log(x + 1)", { Foundation.log($0 + 1) }),
            ("I(2 * x - 1)", { 2 * $0 - 1 }),
        ]
        for (formula, apply) in transforms {
            lines = ["y,x,tx"]
            for row in 0..<40 {
                let x = Double(row % 13) * 0.37 + 0.1
                let y = 1 + 0.5 * apply(x) + Double((row * 7) % 5) * 0.1
                lines.append("\(y),\(x),\(apply(x))")
            }
            let csv = lines.joined(separator: "\n") + "\n"
            let transformed = try fitText(csv, formula: "y ~ \(formula)")
            let precomputed = try fitText(csv, formula: "y ~ tx")
            #expect(transformed.coefficientNames == ["(Intercept)", formula])
            for index in 0..<2 {
                #expect(relativeDifference(transformed.coefficients[index], precomputed.coefficients[index]) < 1e-12, "\(formula)")
            }
        }
    }

    @Test("I(y > 0) as the outcome equals a 0/1 column")
    func extensiveMargin() throws {
        var lines = ["y,x,pos"]
        for row in 0..<30 {
            let y = Double((row * 5) % 7) - 2
            lines.append("\(y),\(Double(row % 4)),\(y > 0 ? 1 : 0)")
        }
        let csv = lines.joined(separator: "\n") + "\n"
        let transformed = try fitText(csv, formula: "I(y > 0) ~ x")
        let precomputed = try fitText(csv, formula: "pos ~ x")
        #expect(transformed.coefficients == precomputed.coefficients)
        #expect(transformed.responseName == "I(y > 0)")
    }

    @Test("rows dropped by log of zero or negative and by division by zero are counted by reason")
    func dropsByReason() throws {
        let fit = try fitText("y,x,z\n1,2,1\n2,0,1\n3,-1,1\n4,6,0\n4,9,2\n5,3,1\n", formula: "y ~ log(x) + I(x / z)")
        #expect(fit.droppedUndefinedTransforms.map(\.reason) == ["log of zero or negative", "division by zero"])
        #expect(fit.droppedUndefinedTransforms.map(\.rows) == [2, 1])
        #expect(fit.observationCount == 3)
    }
}
