import Formula
import Testing

/// A formula that must be rejected, where, and with a reason containing `reason`.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var text: String
    var position: Int
    var reason: String

    init(_ text: String, at position: Int, _ reason: String) {
        self.text = text
        self.position = position
        self.reason = reason
    }

    var testDescription: String { text }
}

private let errorCases: [ErrorCase] = [
    // Overall shape.
    ErrorCase("", at: 0, "empty formula"),
    ErrorCase("   ", at: 0, "empty formula"),
    ErrorCase("y x1", at: 2, "missing '~'"),
    ErrorCase("x1 + x2", at: 3, "missing '~'"),
    ErrorCase("log(y)", at: 6, "missing '~'"),
    ErrorCase("+ x", at: 0, "missing '~'"),
    ErrorCase("~ x", at: 0, "empty response"),
    ErrorCase("  ~ x", at: 2, "empty response"),
    ErrorCase("y ~", at: 3, "empty right-hand side"),
    ErrorCase("y ~ | fe", at: 4, "empty right-hand side"),
    ErrorCase("y ~ x ~ z", at: 6, "only one '~'"),
    ErrorCase("y ~ x | fe1 | fe2", at: 12, "more than one '|'"),
    ErrorCase("y ~ x | fe | x2 ~ z", at: 11, "instrumental-variable syntax"),
    ErrorCase("y ~ x | x2 ~ z", at: 6, "instrumental-variable syntax"),
    // Response.
    ErrorCase("i(f) ~ x", at: 0, "i() cannot be the response"),
    ErrorCase("1 ~ x", at: 0, "not a number"),
    ErrorCase("y1 + y2 ~ x", at: 3, "single variable or function call"),
    ErrorCase("c(y1, y2) ~ x", at: 0, "c() stands for several models"),
    // Dangling operators.
    ErrorCase("y ~ x1 + + x2", at: 9, "expected a term after '+'"),
    ErrorCase("y ~ x1 +", at: 8, "expected a term after '+'"),
    ErrorCase("y ~ x1 -", at: 8, "expected a term after '-'"),
    ErrorCase("y ~ x1 + | fe", at: 9, "expected a term after '+'"),
    ErrorCase("y ~ x1:", at: 7, "expected a term after ':'"),
    ErrorCase("y ~ x1 * ", at: 9, "expected a term after '*'"),
    ErrorCase("y ~ * x", at: 4, "expected a term, found '*'"),
    ErrorCase("y ~ ()", at: 5, "expected a term after '('"),
    ErrorCase("y ~ x |", at: 7, "expected a fixed effect after '|'"),
    ErrorCase("y ~ x | fe +", at: 12, "expected a fixed effect after '+'"),
    ErrorCase("y ~ x | fe1^", at: 12, "expected a variable after '^'"),
    // Parentheses, backticks and quotes.
    ErrorCase("y ~ log(x", at: 7, "unbalanced parentheses: this '(' is never closed"),
    ErrorCase("y ~ log(abs(x)", at: 7, "never closed"),
    ErrorCase("y ~ x + log(x", at: 11, "never closed"),
    ErrorCase("y ~ (x1 + x2", at: 4, "never closed"),
    ErrorCase("y ~ x)", at: 5, "unbalanced parentheses: this ')' has no matching '('"),
    ErrorCase("y ~ `my var + x", at: 4, "unbalanced backticks"),
    ErrorCase("y ~ ``", at: 4, "empty name between backticks"),
    ErrorCase("y ~ i(f, ref = \"abc)", at: 15, "unterminated string"),
    // Functions.
    ErrorCase("y ~ foo(x)", at: 4, "unknown function 'foo'; known functions are abs(), asinh(), exp(), log(), log1p(), sqrt(), I()"),
    ErrorCase("y ~ Log(x)", at: 4, "unknown function 'Log'"),
    ErrorCase("y ~ I()", at: 6, "I() needs an argument, as in I(x^2)"),
    ErrorCase("y ~ I(x:z)", at: 7, "':' inside I() is not supported"),
    ErrorCase("y ~ I(x > 0 > 1)", at: 12, "comparisons cannot be chained"),
    ErrorCase("y ~ I(x + 'a')", at: 10, "cannot be used in arithmetic"),
    ErrorCase("y > 0 ~ x", at: 2, "must be inside I()"),
    ErrorCase("y ~ x > 0", at: 6, "must be inside I()"),
    ErrorCase("y ~ sw(x1, x2)", at: 4, "sw() stands for several models"),
    ErrorCase("y ~ factor(f)", at: 4, "use i(f)"),
    ErrorCase("y ~ log()", at: 8, "log() needs an argument"),
    ErrorCase("y ~ log(x, 2)", at: 9, "single argument"),
    ErrorCase("y ~ log(x +)", at: 11, "expected a value in log()"),
    ErrorCase("y ~ log(i(f))", at: 8, "i() can only be used as a term"),
    // i().
    ErrorCase("y ~ i()", at: 4, "i() needs a factor variable"),
    ErrorCase("y ~ i(ref = 1)", at: 4, "i() needs a factor variable"),
    ErrorCase("y ~ i(f, keep = 1)", at: 9, "i() argument 'keep' is not supported"),
    ErrorCase("y ~ i(f, foo = 1)", at: 9, "unknown argument 'foo' in i(); supported arguments are factor_var, var and ref"),
    ErrorCase("y ~ i(f, ref = 1, ref = 2)", at: 18, "given more than once"),
    ErrorCase("y ~ i(f, z, 1, 2)", at: 15, "too many arguments"),
    ErrorCase("y ~ i(log(f))", at: 6, "factor of i() must be a variable"),
    ErrorCase("y ~ i(1)", at: 6, "factor of i() must be a variable"),
    ErrorCase("y ~ i(f, 2)", at: 9, "second argument of i()"),
    ErrorCase("y ~ i(f, ref = log(x))", at: 15, "ref must be"),
    ErrorCase("y ~ i(f, ref = c())", at: 15, "c() needs at least one value"),
    ErrorCase("y ~ i(f, ref = c(1 2))", at: 19, "expected ',' or ')' in c()"),
    ErrorCase("y ~ i(f, ref = c(log(x)))", at: 17, "a reference must be"),
    ErrorCase("y ~ i(f, ref = -x)", at: 15, "expected a number after '-'"),
    ErrorCase("y ~ i(f,)", at: 8, "expected an argument"),
    ErrorCase("y ~ i(f, ref = )", at: 15, "expected a value after 'ref ='"),
    ErrorCase("y ~ i(f + g)", at: 8, "expected ',' or ')' in i()"),
    ErrorCase("y ~ i(f):x", at: 8, "i() cannot be combined with ':'"),
    ErrorCase("y ~ x*i(f)", at: 5, "i() cannot be combined with '*'"),
    ErrorCase("y ~ i(TRUE)", at: 6, "reserved word"),
    // Fixed effects.
    ErrorCase("y ~ x | log(fe)", at: 8, "a fixed effect must be a variable or variables combined with '^'"),
    ErrorCase("y ~ x | fe1:fe2", at: 11, "use '^' to combine fixed effects"),
    ErrorCase("y ~ x | fe1*fe2", at: 11, "use '^'"),
    ErrorCase("y ~ x | 1", at: 8, "a fixed effect must be"),
    ErrorCase("y ~ x | (fe)", at: 8, "a fixed effect must be"),
    ErrorCase("y ~ x | i(a, b)", at: 8, "i() cannot be used among fixed effects"),
    ErrorCase("y ~ x | a^a", at: 10, "appears twice"),
    ErrorCase("y ~ x | a - b", at: 10, "'-' is not supported among fixed effects"),
    ErrorCase("y ~ x | a b", at: 10, "fixed effects must be separated by '+'"),
    ErrorCase("y ~ x | fe[x]", at: 10, "varying slopes"),
    // Numbers, strays and unsupported operators.
    ErrorCase("y ~ x + 2", at: 8, "numbers other than 0 and 1"),
    ErrorCase("y ~ 2", at: 4, "numbers other than 0 and 1"),
    ErrorCase("y ~ x + 2.5", at: 8, "numbers other than 0 and 1"),
    ErrorCase("y ~ x:1", at: 6, "controls the intercept"),
    ErrorCase("y ~ 1:x", at: 4, "controls the intercept"),
    ErrorCase("y ~ (1 + x)", at: 5, "controls the intercept"),
    ErrorCase("y ~ x z", at: 6, "terms must be separated by '+'"),
    ErrorCase("y ~ x, z", at: 5, "unexpected ','"),
    ErrorCase("y ~ x^2", at: 5, "'^' is only allowed among fixed effects"),
    ErrorCase("y ~ x $ z", at: 6, "unexpected character '$'"),
    ErrorCase("y ~ x / z", at: 6, "nesting operator '/'"),
    ErrorCase("y ~ x %in% z", at: 6, "'%in%'"),
    ErrorCase("y ~ _x", at: 4, "cannot start with '_'"),
    ErrorCase("y ~ .", at: 4, "'.' (all other variables) is not supported"),
    ErrorCase("y ~ TRUE", at: 4, "reserved word"),
    ErrorCase("y ~ x + \"a\"", at: 8, "strings are only allowed as ref values"),
    ErrorCase("y ~ (x1 - x2):z", at: 8, "'-' is not supported inside parentheses"),
    ErrorCase("y ~ (x1 x2)", at: 8, "terms must be separated by '+'"),
    // Positions count characters, not bytes.
    ErrorCase("é ~ x + $", at: 8, "unexpected character '$'"),
    ErrorCase("y ~ `größe` +", at: 13, "expected a term after '+'"),
]

@Test("invalid formulas are rejected at the expected position", arguments: errorCases)
func invalidFormula(_ testCase: ErrorCase) throws {
    let error = try #require(parseError(testCase.text))
    #expect(error.position == testCase.position, "\(error)")
    #expect(error.reason.contains(testCase.reason), "\(error)")
    #expect(error.formula == testCase.text)
}

@Test("deeply nested parentheses are refused rather than overflowing the stack")
func nestingLimit() throws {
    let deep = "y ~ " + String(repeating: "log(", count: 65) + "x" + String(repeating: ")", count: 65)
    let error = try #require(parseError(deep))
    #expect(error.position == 4 + 4 * 64 + 3)
    #expect(error.reason.contains("nested more than 64 levels"))
    let allowed = "y ~ " + String(repeating: "log(", count: 64) + "x" + String(repeating: ")", count: 64)
    #expect(parseError(allowed) == nil)
}

@Test("interactions that expand to too many terms are refused")
func expansionLimit() throws {
    let names = (1...11).map { "x\($0)" }
    let error = try #require(parseError("y ~ " + names.joined(separator: "*")))
    #expect(error.reason.contains("more than 1024 terms"))
    let ten = try ModelFormula.parse("y ~ " + names.prefix(10).joined(separator: "*"))
    #expect(ten.terms.count == 1023)
}

@Test("the description shows the reason, the formula and a caret under the fault")
func errorDescription() throws {
    let error = try #require(parseError("y ~ x1 + + x2"))
    #expect(error.description == """
        formula error at position 9: expected a term after '+'
          y ~ x1 + + x2
                   ^
        """)
}

@Test("the caret stays aligned when the formula spans several lines")
func errorDescriptionMultiline() throws {
    let error = try #require(parseError("y ~ x1 +\n\t+ x2"))
    #expect(error.position == 10)
    #expect(error.description.hasSuffix("\n  y ~ x1 +  + x2\n            ^"))
}

@Test("a caret at the end of the formula points just past it")
func errorDescriptionAtEnd() throws {
    let error = try #require(parseError("y ~"))
    #expect(error.description.hasSuffix("\n  y ~\n     ^"))
}

@Test("errors compare equal when formula, position and reason agree")
func errorEquality() {
    #expect(parseError("y ~ x +") == parseError("y ~ x +"))
    #expect(parseError("y ~ x +") != parseError("y ~ x -"))
}
