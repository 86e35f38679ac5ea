import ArgumentParser
import Formula

/// One `--fe` of `quipu did`: further fixed effects in fixest syntax (`year^size_class`), checked
/// with the formula parser when the command line is read; the text is passed on as given.
struct FixedEffectTerm: OptionValue, Equatable {
    let source: String

    static func parsing(_ text: String) throws -> FixedEffectTerm {
        do {
            _ = try ModelFormula.parse("y ~ 1 | " + text)
        } catch {
            throw ValidationError("\(error.reason) (fixed effects in fixest syntax, e.g. year or year^size_class)")
        }
        return FixedEffectTerm(source: text)
    }
}
