import Formula
import Testing

/// The expansion of fixest's multiple-estimation syntax into ordinary formulas.
@Suite struct MultipleFormulaTests {
    func sources(_ text: String) throws -> [String] {
        try MultipleFormula.expand(text).variants.map(\.formula.source)
    }

    @Test func plainFormulaIsOneVariantParsedAsUsual() throws {
        let expanded = try MultipleFormula.expand("y ~ x1 + i(f, ref = c(1, 2)) | fe")
        #expect(!expanded.isMultiple)
        #expect(expanded.variants.map(\.formula) == [try ModelFormula.parse("y ~ x1 + i(f, ref = c(1, 2)) | fe")])
    }

    @Test func combineStepsThroughOutcomes() throws {
        #expect(try sources("c(y1, log(y2)) ~ x") == ["y1 ~ x", "log(y2) ~ x"])
        #expect(try sources("sw(y1, y2) ~ x | fe") == ["y1 ~ x | fe", "y2 ~ x | fe"])
        let expanded = try MultipleFormula.expand("c(y1, y2) ~ x")
        #expect(expanded.isMultiple && expanded.variesOutcome && !expanded.variesRegressors)
        #expect(expanded.variants.map(\.label) == ["Dep. var.: y1", "Dep. var.: y2"])
    }

    @Test func stepwiseFunctionsOfTheRegressors() throws {
        #expect(try sources("y ~ x1 + sw(x2, x3)") == ["y ~ x1 + x2", "y ~ x1 + x3"])
        #expect(try sources("y ~ x1 + csw(x2, x3)") == ["y ~ x1 + x2", "y ~ x1 + x2 + x3"])
        #expect(try sources("y ~ x1 + sw0(x2, x3)") == ["y ~ x1", "y ~ x1 + x2", "y ~ x1 + x3"])
        #expect(try sources("y ~ x1 + csw0(x2, x3 + x4)") == ["y ~ x1", "y ~ x1 + x2", "y ~ x1 + x2 + x3 + x4"])
        #expect(try sources("y ~ csw0(x2, x3) + x1 | fe") == ["y ~ x1 | fe", "y ~ x2 + x1 | fe", "y ~ x2 + x3 + x1 | fe"])
        #expect(try sources("y ~ sw0(a)") == ["y ~ 1", "y ~ a"])
        #expect(try sources("y ~ sw(a, i(f, ref = 1))") == ["y ~ a", "y ~ i(f, ref = 1)"])
    }

    @Test func stepwiseFunctionsOfTheFixedEffects() throws {
        #expect(try sources("y ~ x | sw0(fe1, fe1 + fe2)") == ["y ~ x", "y ~ x | fe1", "y ~ x | fe1 + fe2"])
        #expect(try sources("y ~ x | fe1 + csw0(fe2, fe3)") == ["y ~ x | fe1", "y ~ x | fe1 + fe2", "y ~ x | fe1 + fe2 + fe3"])
    }

    @Test func orderIsOutcomeThenFixedEffectsThenRegressors() throws {
        #expect(try sources("c(y1, y2) ~ sw(a, b) | sw0(f)") == [
            "y1 ~ a", "y1 ~ b", "y1 ~ a | f", "y1 ~ b | f",
            "y2 ~ a", "y2 ~ b", "y2 ~ a | f", "y2 ~ b | f",
        ])
        let labels = try MultipleFormula.expand("y ~ sw(a, b) | sw0(f)").variants.map(\.label)
        #expect(labels.first == "Dep. var.: y; Expl. vars.: a; Fixed-effects: none")
        #expect(labels.last == "Dep. var.: y; Expl. vars.: b; Fixed-effects: f")
    }

    @Test(arguments: [
        ("y ~ sw(a, b) + sw(c, d)", 15, "only one multiple-estimation function per part"),
        ("y ~ x | csw(a, b) + sw(c)", 20, "only one multiple-estimation function per part"),
        ("y ~ i(sw(a, b))", 6, "sw() cannot be used inside i()"),
        ("y ~ i(f, csw(a, b))", 9, "csw() cannot be used inside i()"),
        ("y ~ log(sw(a, b))", 8, "sw() cannot be used inside log()"),
        ("y ~ a:sw(b, c)", 6, "must be added as a whole term"),
        ("y ~ a - sw(b, c)", 8, "must be added as a whole term"),
        ("y ~ sw(b, c):a", 4, "must be added as a whole term"),
        ("y ~ c(a, b)", 4, "c() lists outcomes and belongs before '~'"),
        ("log(c(y1, y2)) ~ x", 4, "c() must be the whole outcome"),
        ("c(y1, y2) + z ~ x", 0, "must be the whole outcome"),
        ("csw(y1, y2) ~ x", 0, "the outcome can vary with c() or sw(), not csw()"),
        ("y ~ sw(a, , b)", 10, "empty argument in sw()"),
        ("y ~ sw()", 7, "empty argument in sw()"),
        ("y ~ sw(a = 1)", 7, "takes no named arguments"),
        ("y ~ mvsw(a, b)", 4, "mvsw() is not supported"),
    ])
    func misuseIsLocated(text: String, position: Int, reason: String) {
        #expect {
            _ = try MultipleFormula.expand(text)
        } throws: { error in
            guard let error = error as? FormulaError else { return false }
            return error.position == position && error.reason.contains(reason)
        }
    }

    @Test func errorsOfAnExpandedFormulaQuoteIt() {
        #expect {
            _ = try MultipleFormula.expand("y ~ sw(a, b +)")
        } throws: { error in
            (error as? FormulaError)?.formula == "y ~ b +"
        }
    }

    @Test func columnsOfEveryVariant() throws {
        #expect(try MultipleFormula.expand("c(y1, y2) ~ x + sw(a, b) | sw0(f)").variables == ["y1", "y2", "x", "a", "b", "f"])
    }
}
