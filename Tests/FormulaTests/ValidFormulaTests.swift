import Formula
import Testing

/// A formula that must parse, with the structure it must parse to.
struct ValidCase: Sendable, CustomTestStringConvertible {
    var text: String
    var response: Expression = v("y")
    var terms: [Term]
    var hasIntercept = true
    var fixedEffects: [FixedEffect] = []

    var testDescription: String { text }
}

private let validCases: [ValidCase] = [
    // Basics and whitespace.
    ValidCase(text: "y ~ x1", terms: [term("x1")]),
    ValidCase(text: "y ~ x1 + x2", terms: [term("x1"), term("x2")]),
    ValidCase(text: "y~x1+x2", terms: [term("x1"), term("x2")]),
    ValidCase(text: "  y\t~\n  x1 +\r\n x2   ", terms: [term("x1"), term("x2")]),
    ValidCase(text: "log(y) ~ x", response: call("log", v("y")), terms: [term("x")]),
    ValidCase(text: "log(abs(y)) ~ x", response: call("log", call("abs", v("y"))), terms: [term("x")]),
    // The example from fixest's documentation style, with every feature at once.
    ValidCase(
        text: "y ~ x1 + x2 + x1:x2 + log(x3) + i(f) + i(f, ref = r) + i(f, z, ref = r) | fe1 + fe2 + fe1^fe2",
        terms: [
            term("x1"), term("x2"), term("x1", "x2"), product(call("log", v("x3"))),
            indicator("f"), indicator("f", ref: [.text("r")]), indicator("f", v("z"), ref: [.text("r")]),
        ],
        fixedEffects: [fe("fe1"), fe("fe2"), fe("fe1", "fe2")]
    ),
    // Intercept handling.
    ValidCase(text: "y ~ 1", terms: []),
    ValidCase(text: "y ~ 0", terms: [], hasIntercept: false),
    ValidCase(text: "y ~ -1", terms: [], hasIntercept: false),
    ValidCase(text: "y ~ 0 | fe", terms: [], hasIntercept: false, fixedEffects: [fe("fe")]),
    ValidCase(text: "y ~ 1 | fe", terms: [], fixedEffects: [fe("fe")]),
    ValidCase(text: "y ~ 0 + x", terms: [term("x")], hasIntercept: false),
    ValidCase(text: "y ~ x + 0", terms: [term("x")], hasIntercept: false),
    ValidCase(text: "y ~ x - 1", terms: [term("x")], hasIntercept: false),
    ValidCase(text: "y ~ -1 + x", terms: [term("x")], hasIntercept: false),
    ValidCase(text: "y ~ x + 1", terms: [term("x")]),
    ValidCase(text: "y ~ 1 + x", terms: [term("x")]),
    ValidCase(text: "y ~ x - 1 + 1", terms: [term("x")]),
    ValidCase(text: "y ~ 0 + x - 0", terms: [term("x")]),
    ValidCase(text: "y ~ +x", terms: [term("x")]),
    // Functions, nested.
    ValidCase(
        text: "y ~ log(x) + exp(x) + sqrt(x) + abs(x) + log1p(x)",
        terms: ["log", "exp", "sqrt", "abs", "log1p"].map { product(call($0, v("x"))) }
    ),
    ValidCase(text: "y ~ log(abs(x))", terms: [product(call("log", call("abs", v("x"))))]),
    ValidCase(text: "y ~ sqrt( log ( x ) )", terms: [product(call("sqrt", call("log", v("x"))))]),
    ValidCase(text: "y ~ x + log(x)", terms: [term("x"), product(call("log", v("x")))]),
    // Names with dots, underscores, digits and backticks.
    ValidCase(text: "lscrap ~ x.1 + grant_1 + .hidden + d88", response: v("lscrap"),
              terms: [term("x.1"), term("grant_1"), term(".hidden"), term("d88")]),
    ValidCase(text: "`my y` ~ `my var` + `x`", response: v("my y"), terms: [term("my var"), term("x")]),
    ValidCase(text: "y ~ `1st` + `a-b`:`if`", terms: [term("1st"), term("a-b", "if")]),
    ValidCase(text: "y ~ log(`gdp per capita`)", terms: [product(call("log", v("gdp per capita")))]),
    ValidCase(text: "y ~ x | `my fe`^b", terms: [term("x")], fixedEffects: [fe("my fe", "b")]),
    ValidCase(text: "y ~ `TRUE`", terms: [term("TRUE")]),
    // Indicators and their references.
    ValidCase(text: "y ~ i(year)", terms: [indicator("year")]),
    ValidCase(text: "y ~ i(year, ref = 2014)", terms: [indicator("year", ref: [.number(2014)])]),
    ValidCase(text: "y ~ i(year, ref = 2014L)", terms: [indicator("year", ref: [.number(2014)])]),
    ValidCase(text: "y ~ i(year, ref = 1e3)", terms: [indicator("year", ref: [.number(1000)])]),
    ValidCase(text: "y ~ i(period, treat, ref = -1)", terms: [indicator("period", v("treat"), ref: [.number(-1)])]),
    ValidCase(text: "y ~ i(f, ref = 1.5)", terms: [indicator("f", ref: [.number(1.5)])]),
    ValidCase(text: "y ~ i(crop, ref = \"grains\")", terms: [indicator("crop", ref: [.text("grains")])]),
    ValidCase(text: "y ~ i(crop, ref = 'grains')", terms: [indicator("crop", ref: [.text("grains")])]),
    ValidCase(text: "y ~ i(crop, ref = grains)", terms: [indicator("crop", ref: [.text("grains")])]),
    ValidCase(text: "y ~ i(crop, ref = \"say \\\"hi\\\"\")", terms: [indicator("crop", ref: [.text("say \"hi\"")])]),
    ValidCase(text: "y ~ i(f, ref = c(1, 2))", terms: [indicator("f", ref: [.number(1), .number(2)])]),
    ValidCase(text: "y ~ i(f, ref = c(\"a\", 'b', c3, -4))",
              terms: [indicator("f", ref: [.text("a"), .text("b"), .text("c3"), .number(-4)])]),
    ValidCase(text: "y ~ i(f, ref = c(1, 1, 2))", terms: [indicator("f", ref: [.number(1), .number(2)])]),
    ValidCase(text: "y ~ i(f, z)", terms: [indicator("f", v("z"))]),
    ValidCase(text: "y ~ i(f, log(z))", terms: [indicator("f", call("log", v("z")))]),
    ValidCase(text: "y ~ i(f, z, 2014)", terms: [indicator("f", v("z"), ref: [.number(2014)])]),
    ValidCase(text: "y ~ i(ref = 3, year)", terms: [indicator("year", ref: [.number(3)])]),
    ValidCase(text: "y ~ i(factor_var = f, var = z, ref = 1)", terms: [indicator("f", v("z"), ref: [.number(1)])]),
    ValidCase(text: "y ~ i(var = z, f)", terms: [indicator("f", v("z"))]),
    ValidCase(text: "y ~ `i`(f, ref = `c`(1, 2))", terms: [indicator("f", ref: [.number(1), .number(2)])]),
    ValidCase(text: "y ~ i(`my f`, `my z`)", terms: [indicator("my f", v("my z"))]),
    ValidCase(text: "y ~ i(f) + i(f) + i(f, ref = 1)", terms: [indicator("f"), indicator("f", ref: [.number(1)])]),
    ValidCase(text: "y ~ i(f) + x | id", terms: [indicator("f"), term("x")], fixedEffects: [fe("id")]),
    // Fixed effects.
    ValidCase(text: "y ~ x | fe1^fe2^fe3", terms: [term("x")], fixedEffects: [fe("fe1", "fe2", "fe3")]),
    ValidCase(text: "y ~ x | fe1 + fe1", terms: [term("x")], fixedEffects: [fe("fe1")]),
    ValidCase(text: "y ~ x | fe2^fe1 + fe1^fe2", terms: [term("x")], fixedEffects: [fe("fe2", "fe1"), fe("fe1", "fe2")]),
    ValidCase(text: "y ~ x|id+year", terms: [term("x")], fixedEffects: [fe("id"), fe("year")]),
    // Repetitions, `*`, `-` and groups.
    ValidCase(text: "y ~ x + x", terms: [term("x")]),
    ValidCase(text: "y ~ x:x", terms: [term("x")]),
    ValidCase(text: "y ~ x1*x2", terms: [term("x1"), term("x2"), term("x1", "x2")]),
    ValidCase(text: "y ~ x1*x2 - x1:x2", terms: [term("x1"), term("x2")]),
    ValidCase(text: "y ~ x1 + x2 - x2", terms: [term("x1")]),
    ValidCase(text: "y ~ x1 - x3", terms: [term("x1")]),
    ValidCase(text: "y ~ -x + x", terms: [term("x")]),
    ValidCase(text: "y ~ (a + b):c", terms: [term("a", "c"), term("b", "c")]),
    ValidCase(text: "log(y) ~ log(x):z", response: call("log", v("y")), terms: [product(call("log", v("x")), v("z"))]),
]

@Test("valid formulas parse to the expected structure", arguments: validCases)
func validFormula(_ testCase: ValidCase) throws {
    let formula = try ModelFormula.parse(testCase.text)
    #expect(formula.response == testCase.response)
    #expect(formula.terms == testCase.terms)
    #expect(formula.hasIntercept == testCase.hasIntercept)
    #expect(formula.fixedEffects == testCase.fixedEffects)
    #expect(formula.source == testCase.text)
}

@Test("the parsed formula keeps the original text, spaces included")
func sourceIsKept() throws {
    let text = " y ~  x |fe "
    #expect(try ModelFormula.parse(text).source == text)
}

@Test("formulas differing only in spacing have equal parts")
func spacingDoesNotMatter() throws {
    let compact = try ModelFormula.parse("y~x1*x2+i(f,z,ref=c(1,2))|a^b")
    let spaced = try ModelFormula.parse("  y ~ x1 * x2 + i( f , z , ref = c( 1 , 2 ) ) | a ^ b ")
    #expect(compact.response == spaced.response)
    #expect(compact.terms == spaced.terms)
    #expect(compact.fixedEffects == spaced.fixedEffects)
}
