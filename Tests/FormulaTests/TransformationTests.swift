import Formula
import Testing

/// `I()` arithmetic and comparisons, `asinh()`, and arithmetic inside function arguments.
@Suite struct TransformationTests {
    @Test("I() holds arithmetic and comparisons, named as fixest names them")
    func identityNames() throws {
        let cases: [(text: String, name: String)] = [
            ("I(x^2)", "I(x^2)"),
            ("I(y > 0)", "I(y > 0)"),
            ("I(y>=0)", "I(y >= 0)"),
            ("I(x * z)", "I(x * z)"),
            ("I(x / 2 + 1)", "I(x / 2 + 1)"),
            ("I((x + 1)^2)", "I((x + 1)^2)"),
            ("I(-x^2)", "I(-x^2)"),
            ("I(x - (z - 1))", "I(x - (z - 1))"),
            ("I(x == 1)", "I(x == 1)"),
            ("I(log(x)^2)", "I(log(x)^2)"),
            ("log(x + 1)", "log(x + 1)"),
            ("asinh(x)", "asinh(x)"),
        ]
        for (text, name) in cases {
            let formula = try ModelFormula.parse("y2 ~ \(text)")
            let expression = try #require(formula.terms.first?.expressions?.first)
            #expect(expression.name == name, "\(text)")
            // The name reads back to the same expression.
            let again = try ModelFormula.parse("y2 ~ \(expression.name)")
            #expect(again.terms.first?.expressions?.first == expression, "\(text)")
        }
    }

    @Test("operators follow R's precedence")
    func precedence() throws {
        let parsed = try ModelFormula.parse("w ~ I(x + z * 2^3 > 1)").terms[0].expressions?[0]
        let expected: Expression = .identity(.comparison(.greater,
            .arithmetic(.add, .variable("x"), .arithmetic(.multiply, .variable("z"), .arithmetic(.power, .number(2), .number(3)))),
            .number(1)))
        #expect(parsed == expected)
        let power = try ModelFormula.parse("w ~ I(2^3^2)").terms[0].expressions?[0]
        #expect(power == .identity(.arithmetic(.power, .number(2), .arithmetic(.power, .number(3), .number(2)))), "'^' associates to the right")
        let negated = try ModelFormula.parse("w ~ I(-x^2)").terms[0].expressions?[0]
        #expect(negated == .identity(.negation(.arithmetic(.power, .variable("x"), .number(2)))), "-x^2 is -(x^2)")
    }

    @Test("'+ -' and '* /' each associate to the left, '* /' inside '+ -'")
    func leftAssociativeLevels() throws {
        let x = Expression.variable("x"), z = Expression.variable("z")
        let difference = try ModelFormula.parse("w ~ I(x - z - 1)").terms[0].expressions?[0]
        #expect(difference == .identity(.arithmetic(.subtract, .arithmetic(.subtract, x, z), .number(1))), "x - z - 1 is (x - z) - 1")
        let quotient = try ModelFormula.parse("w ~ I(x / z * 2)").terms[0].expressions?[0]
        #expect(quotient == .identity(.arithmetic(.multiply, .arithmetic(.divide, x, z), .number(2))), "x / z * 2 is (x / z) * 2")
        let mixed = try ModelFormula.parse("w ~ I(x * 2 - z / 4 + 1)").terms[0].expressions?[0]
        let expected: Expression = .identity(.arithmetic(.add,
            .arithmetic(.subtract, .arithmetic(.multiply, x, .number(2)), .arithmetic(.divide, z, .number(4))),
            .number(1)))
        #expect(mixed == expected)
    }

    @Test("an extensive-margin outcome: I(y > 0) as the response")
    func comparisonResponse() throws {
        let formula = try ModelFormula.parse("I(sales > 0) ~ x | firm")
        #expect(formula.response.name == "I(sales > 0)")
        #expect(formula.response.variables == ["sales"])
    }

    @Test("the outcome may not reappear inside I() on the right")
    func outcomeInsideIdentity() {
        #expect(parseError("y ~ I(y^2)")?.reason.contains("also a regressor") == true)
    }

    @Test("evaluation: I(x^2) is x*x, comparisons give 0/1 and NA stays NA")
    func evaluation() throws {
        struct Columns: ExpressionColumnSource {
            func numericValues(of column: String) throws(FormulaError) -> [Double] { [-2, 0, 3, .nan] }
        }
        var source = Columns()
        let square = try ModelFormula.parse("y ~ I(x^2)").terms[0].expressions?[0]
        let values = try #require(square).evaluate(rowCount: 4, source: &source)
        #expect(values.prefix(3) == [4, 0, 9])
        #expect(values[3].isNaN)
        let positive = try #require(try ModelFormula.parse("I(x > 0) ~ 1").response).evaluate(rowCount: 4, source: &source)
        #expect(positive.prefix(3) == [0, 0, 1])
        #expect(positive[3].isNaN, "a comparison with a missing side is missing, as in R")
    }
}
