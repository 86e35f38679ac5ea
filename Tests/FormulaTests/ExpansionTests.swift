import Formula
import Testing

@Test("'*' expands to both terms and their interaction")
func starExpansion() throws {
    #expect(try ModelFormula.parse("y ~ a*b").terms == [term("a"), term("b"), term("a", "b")])
    #expect(try ModelFormula.parse("y ~ a*b*c").terms == [
        term("a"), term("b"), term("a", "b"), term("c"), term("a", "c"), term("b", "c"), term("a", "b", "c"),
    ])
    // `:` binds tighter than `*`.
    #expect(try ModelFormula.parse("y ~ a*b:c").terms == [term("a"), term("b", "c"), term("a", "b", "c")])
    #expect(try ModelFormula.parse("y ~ a:b*c").terms == [term("a", "b"), term("c"), term("a", "b", "c")])
    #expect(try ModelFormula.parse("y ~ (a + b)*c").terms == [
        term("a"), term("b"), term("c"), term("a", "c"), term("b", "c"),
    ])
    #expect(try ModelFormula.parse("y ~ log(x)*z").terms == [
        product(call("log", v("x"))), term("z"), product(call("log", v("x")), v("z")),
    ])
    #expect(try ModelFormula.parse("y ~ a*a").terms == [term("a")])
}

@Test("'*' expansions merge with terms written elsewhere, keeping first occurrences")
func starDeduplication() throws {
    #expect(try ModelFormula.parse("y ~ b + a*b").terms == [term("b"), term("a"), term("b", "a")])
    #expect(try ModelFormula.parse("y ~ a*b + a:b + b").terms == [term("a"), term("b"), term("a", "b")])
}

@Test("'-' removes terms added before it, and ignores absent ones")
func minusRemoval() throws {
    #expect(try ModelFormula.parse("y ~ x1 + x2 - x2").terms == [term("x1")])
    #expect(try ModelFormula.parse("y ~ x1 - x2").terms == [term("x1")])
    #expect(try ModelFormula.parse("y ~ a*b - a").terms == [term("b"), term("a", "b")])
    #expect(try ModelFormula.parse("y ~ a*b - b:a").terms == [term("a"), term("b")])
    #expect(try ModelFormula.parse("y ~ a*b - a*b").terms == [])
    #expect(try ModelFormula.parse("y ~ x + i(f) - i(f)").terms == [term("x")])
    #expect(try ModelFormula.parse("y ~ i(f) - i(f, ref = 1)").terms == [indicator("f")])
    #expect(try ModelFormula.parse("y ~ x + log(x) - x").terms == [product(call("log", v("x")))])
    // As in R, a removal applies to what precedes it only.
    #expect(try ModelFormula.parse("y ~ -x + x").terms == [term("x")])
    #expect(try ModelFormula.parse("y ~ x - x + x").terms == [term("x")])
}

@Test("the intercept follows the last 0, 1, - 1 or - 0")
func interceptFlags() throws {
    let cases: [(String, Bool)] = [
        ("y ~ x", true), ("y ~ 1 + x", true), ("y ~ 0 + x", false), ("y ~ x + 0", false),
        ("y ~ x - 1", false), ("y ~ - 1 + x", false), ("y ~ x - 1 + 1", true), ("y ~ 0 + x - 0", true),
        ("y ~ 1 - 1", false), ("y ~ x | fe", true), ("y ~ x - 1 | fe", false),
    ]
    for (text, expected) in cases {
        #expect(try ModelFormula.parse(text).hasIntercept == expected, "\(text)")
    }
}

@Test("only formulas that keep the intercept and have no fixed effects get an intercept column")
func interceptColumn() throws {
    #expect(try ModelFormula.parse("y ~ x").hasInterceptColumn)
    #expect(try !ModelFormula.parse("y ~ 0 + x").hasInterceptColumn)
    #expect(try !ModelFormula.parse("y ~ x | fe").hasInterceptColumn)
}

@Test("interaction factors are ordered by first appearance, as in R")
func interactionFactorOrder() throws {
    #expect(try ModelFormula.parse("y ~ x2 + x1:x2").terms.map(\.name) == ["x2", "x2:x1"])
    #expect(try ModelFormula.parse("y ~ x1:x2 + x2:x1").terms.map(\.name) == ["x1:x2"])
    #expect(try ModelFormula.parse("y ~ c + b:a:c").terms.map(\.name) == ["c", "c:b:a"])
    // The response would come first, but a term that reads the outcome is refused (issue 10).
    #expect(throws: FormulaError.self) { try ModelFormula.parse("z ~ x:z") }
}

@Test("fixest order sorts terms by interaction order, stably")
func fixestOrder() throws {
    let formula = try ModelFormula.parse("y ~ a:b + c + a*d + i(f) + log(x):a:b")
    #expect(formula.terms.map(\.name) == ["a:b", "c", "a", "d", "a:d", "i(f)", "a:b:log(x)"])
    #expect(formula.fixestOrderedTerms.map(\.name) == ["c", "a", "d", "i(f)", "a:b", "a:d", "a:b:log(x)"])
    #expect(formula.terms.map(\.order) == [2, 1, 1, 1, 2, 1, 3])
}

@Test("variables lists every data column, and only those")
func variables() throws {
    let formula = try ModelFormula.parse(
        "log(y) ~ x1 + x2:log(abs(x3)) + i(f, z, ref = r) + i(g, log(w)) - x9 | fe1 + fe2^fe3"
    )
    #expect(formula.variables == ["y", "x1", "x2", "x3", "f", "z", "g", "w", "fe1", "fe2", "fe3"])
    #expect(try ModelFormula.parse("`my y` ~ `my x` | `my fe`").variables == ["my y", "my x", "my fe"])
    #expect(try ModelFormula.parse("y ~ 1").variables == ["y"])
    #expect(formula.terms[1].variables == ["x2", "x3"])
    #expect(call("log", call("abs", v("x"))).variables == ["x"])
}

@Test("names may contain dots, digits and underscores, and anything in backticks")
func names() throws {
    let formula = try ModelFormula.parse("y.1 ~ x.1 + .x + x_1 + X1.a_b + `a b` + `x+y` + `ß`")
    #expect(formula.response == v("y.1"))
    #expect(formula.terms == [term("x.1"), term(".x"), term("x_1"), term("X1.a_b"), term("a b"), term("x+y"), term("ß")])
    #expect(formula.terms.map(\.name) == ["x.1", ".x", "x_1", "X1.a_b", "`a b`", "`x+y`", "ß"])
    // A backticked name equals the bare one.
    #expect(try ModelFormula.parse("y ~ `x` + x").terms == [term("x")])
    // Backticks also free names that R reserves or that start with a digit or '_'.
    #expect(try ModelFormula.parse("y ~ `if` + `2x` + `_z`").terms == [term("if"), term("2x"), term("_z")])
}

@Test("parenthesised sums distribute over ':'")
func groups() throws {
    #expect(try ModelFormula.parse("y ~ (a + b):c").terms == [term("a", "c"), term("b", "c")])
    #expect(try ModelFormula.parse("y ~ (a + b):(c + d)").terms == [
        term("a", "c"), term("a", "d"), term("b", "c"), term("b", "d"),
    ])
    #expect(try ModelFormula.parse("y ~ (x)").terms == [term("x")])
    #expect(try ModelFormula.parse("y ~ ((a))").terms == [term("a")])
    #expect(try ModelFormula.parse("y ~ (a + i(f))").terms == [term("a"), indicator("f")])
}

@Test("formulas can be built directly")
func memberwise() throws {
    let built = ModelFormula(
        response: v("y"),
        terms: [term("x1"), indicator("f", ref: [.number(1)])],
        hasIntercept: false,
        fixedEffects: [fe("id")]
    )
    let parsed = try ModelFormula.parse(built.source)
    #expect(parsed == built)
}
