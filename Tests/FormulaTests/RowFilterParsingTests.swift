import Formula
import Testing

/// The `--subset` grammar: comparisons, `%in%`, `is.na()`, `&`, `|`, `!`, with positions in errors.
@Suite struct RowFilterParsingTests {
    @Test("the issue's example parses to & of a comparison and a membership")
    func issueExample() throws {
        let filter = try RowFilter.parse("pum_cohort != 2004 & size_class %in% c('small','medium')")
        #expect(filter.condition == .and(
            .comparison(.notEqual, .expression(.variable("pum_cohort")), .expression(.number(2004))),
            .membership(.expression(.variable("size_class")), [.text("small"), .text("medium")])))
        #expect(filter.variables == ["pum_cohort", "size_class"])
    }

    @Test("| binds more loosely than &, which binds more loosely than !")
    func logicalPrecedence() throws {
        let filter = try RowFilter.parse("a == 1 | b == 2 & !c > 3")
        let a: RowFilterCondition = .comparison(.equal, .expression(.variable("a")), .expression(.number(1)))
        let b: RowFilterCondition = .comparison(.equal, .expression(.variable("b")), .expression(.number(2)))
        let c: RowFilterCondition = .comparison(.greater, .expression(.variable("c")), .expression(.number(3)))
        #expect(filter.condition == .or(a, .and(b, .not(c))))
    }

    @Test("parentheses group conditions or values")
    func parentheses() throws {
        let grouped = try RowFilter.parse("(year < 2005 | year > 2010) & x == 1")
        guard case .and(.or, .comparison) = grouped.condition else {
            Issue.record("expected (… | …) & …, got \(grouped.condition)")
            return
        }
        let value = try RowFilter.parse("(x + 1) * 2 > log(y)")
        #expect(value.condition == .comparison(.greater,
            .expression(.arithmetic(.multiply, .arithmetic(.add, .variable("x"), .number(1)), .number(2))),
            .expression(.function(name: "log", argument: .variable("y")))))
    }

    @Test("quoted texts in either quote, is.na, negative numbers in c()")
    func literals() throws {
        #expect(try RowFilter.parse("s == \"a b\"").condition == .comparison(.equal, .expression(.variable("s")), .text("a b")))
        #expect(try RowFilter.parse("!is.na(x)").condition == .not(.isMissing(.expression(.variable("x")))))
        #expect(try RowFilter.parse("t %in% c(-1, 2)").condition == .membership(.expression(.variable("t")), [.number(-1), .number(2)]))
    }

    @Test("errors say 'subset error' and point at the fault", arguments: [
        ("year >", 6, "expected a column, a number or a quoted text, found the end of the filter"),
        ("year = 2004", 5, "write '==' to compare"),
        ("year", 4, "expected a comparison after 'year'"),
        ("a == 1 && b == 2", 8, "'&&'"),
        ("a == 1 || b == 2", 8, "'||'"),
        ("s %in% c('a', 1)", 14, "mixes texts and numbers"),
        ("s %in% c()", 9, "at least one value"),
        ("(a == 1", 0, "never closed"),
        ("a == 1)", 6, "no matching '('"),
        ("a < b < c", 6, "cannot be chained"),
        ("a == 'x", 5, "unterminated string"),
        ("a %like% 'x'", 2, "'%like%' is not supported"),
        ("", 0, "empty filter"),
        ("a == 1, b == 2", 6, "joined with '&' or '|'"),
    ])
    func errors(text: String, position: Int, reason: String) {
        do {
            _ = try RowFilter.parse(text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.position == position, "\(text): \(error.reason)")
            #expect(error.reason.contains(reason), "\(text): \(error.reason)")
            #expect(error.description.hasPrefix("subset error at position \(position)"))
        }
    }

    @Test("the description reads back to the same condition")
    func roundTrip() throws {
        for text in ["!(a == 1 & b == 2)", "(a == 1 | b == 2) & c != 'x'", "a == 1 | b == 2 | c == 3", "is.na(x) | x %in% c(1, 2)", "I(x^2) > 4"] {
            let filter = try RowFilter.parse(text)
            #expect(try RowFilter.parse(filter.condition.description).condition == filter.condition, "\(text) → \(filter.condition.description)")
        }
    }
}
