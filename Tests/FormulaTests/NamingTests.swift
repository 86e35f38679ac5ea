import Formula
import Testing

@Test("term names follow fixest's printing", arguments: [
    ("y ~ x1", "x1"),
    ("y ~ x1:x2", "x1:x2"),
    ("y ~ x1:x2:x3", "x1:x2:x3"),
    ("y ~ log(x3)", "log(x3)"),
    ("y ~ log(abs(x))", "log(abs(x))"),
    ("y ~ log(x):z", "log(x):z"),
    ("y ~ x.1:grant_1", "x.1:grant_1"),
    ("y ~ `my var`", "`my var`"),
    ("y ~ `x`", "x"),
    ("y ~ log(`my var`)", "log(`my var`)"),
    ("y ~ i(f)", "i(f)"),
    ("y ~ i(f, z)", "i(f, z)"),
    ("y ~ i(f,z,ref=2014)", "i(f, z, ref = 2014)"),
    ("y ~ i(f, ref = 2014L)", "i(f, ref = 2014)"),
    ("y ~ i(f, ref = -1)", "i(f, ref = -1)"),
    ("y ~ i(f, ref = 1.5)", "i(f, ref = 1.5)"),
    ("y ~ i(f, ref = 'grains')", "i(f, ref = \"grains\")"),
    ("y ~ i(f, ref = grains)", "i(f, ref = \"grains\")"),
    ("y ~ i(f, ref = c(1, \"a\"))", "i(f, ref = c(1, \"a\"))"),
    ("y ~ i(`my f`, log(z))", "i(`my f`, log(z))"),
])
func termName(_ text: String, _ expected: String) throws {
    let formula = try ModelFormula.parse(text)
    #expect(formula.terms.map(\.name) == [expected])
}

@Test("expression names wrap non-syntactic names in backticks")
func expressionNames() {
    #expect(v("x").name == "x")
    #expect(v(".x").name == ".x")
    #expect(v("my var").name == "`my var`")
    #expect(v("1st").name == "`1st`")
    #expect(v(".1x").name == "`.1x`")
    #expect(v("_x").name == "`_x`")
    #expect(v("if").name == "`if`")
    #expect(call("log", call("abs", v("x"))).name == "log(abs(x))")
}

@Test("fixed-effect names join combined variables with '^'")
func fixedEffectNames() throws {
    let formula = try ModelFormula.parse("y ~ x | fe1 + fe1^fe2 + `my fe`^b")
    #expect(formula.fixedEffects.map(\.name) == ["fe1", "fe1^fe2", "`my fe`^b"])
    #expect(FixedEffect("id") == fe("id"))
}

@Test("indicator coefficient names are f::level and f::level:z")
func indicatorNames() {
    #expect(Indicator.indicatorName(factor: "year", level: "2012", interaction: nil) == "year::2012")
    #expect(Indicator.indicatorName(factor: "year", level: "2012", interaction: "treat") == "year::2012:treat")
    #expect(Indicator.indicatorName(factor: "crop", level: "grains", interaction: "log(x)") == "crop::grains:log(x)")
    let interacted = Indicator(factor: "period", interaction: v("treat"), references: [.number(-1)])
    #expect(interacted.coefficientName(level: Indicator.levelName(-3)) == "period::-3:treat")
    let plain = Indicator(factor: "my f")
    #expect(plain.coefficientName(level: "a") == "`my f`::a")
}

@Test("numeric levels print as integers when integral", arguments: [
    (2012.0, "2012"),
    (-1.0, "-1"),
    (0.0, "0"),
    (-0.0, "0"),
    (1.5, "1.5"),
    (0.1, "0.1"),
    (-2.25, "-2.25"),
    (1e20, "1e+20"),
])
func levelNames(_ value: Double, _ expected: String) {
    #expect(Indicator.levelName(value) == expected)
}

@Test("each term's name parses back to the same term", arguments: [
    "y ~ x1 + x2 + x1:x2 + log(x3) + log(abs(x4)) + exp(x5):sqrt(x6)",
    "y ~ i(f) + i(f, z) + i(f, z, ref = 2014) + i(g, ref = -1.5) + i(h, ref = c(\"a\", 'b', 3))",
    "y ~ `my var` + `my var`:x.1 + i(`my f`, `z z`, ref = \"x \\\"q\\\"\")",
    "y ~ a*b*c",
])
func termNameRoundTrip(_ text: String) throws {
    let formula = try ModelFormula.parse(text)
    for term in formula.terms {
        let reparsed = try ModelFormula.parse("y ~ \(term.name)")
        #expect(reparsed.terms == [term], "\(term.name)")
    }
}

@Test("the canonical text parses back to the same formula", arguments: [
    "y ~ x1 + x2 | fe1",
    "log(y) ~ 0 + x1*x2 + i(year, treat, ref = c(2013, 2014)) | id + firm^year",
    "y ~ 1",
    "y ~ 0 | fe",
    "y ~ -1",
    "`my y` ~ `a b`:c - 1",
])
func canonicalRoundTrip(_ text: String) throws {
    let formula = try ModelFormula.parse(text)
    let again = try ModelFormula.parse(formula.description)
    #expect(again.response == formula.response)
    #expect(again.terms == formula.terms)
    #expect(again.hasIntercept == formula.hasIntercept)
    #expect(again.fixedEffects == formula.fixedEffects)
    #expect(again.description == formula.description)
}

@Test("the canonical text uses single spaces and explicit intercept markers")
func canonicalText() throws {
    #expect(try ModelFormula.parse("y~x1*x2|a^b+c").description == "y ~ x1 + x2 + x1:x2 | a^b + c")
    #expect(try ModelFormula.parse("y ~ x - 1").description == "y ~ 0 + x")
    #expect(try ModelFormula.parse("y ~ 0 | fe").description == "y ~ 0 | fe")
    #expect(try ModelFormula.parse("y ~ x - x").description == "y ~ 1")
    let built = ModelFormula(response: v("y"), terms: [term("x")], fixedEffects: [fe("id")])
    #expect(built.source == "y ~ x | id")
}
