import Formula
import Testing

@Test("numeric references match equal numbers and text spelling them")
func numericReferences() {
    let reference = ReferenceValue.number(2014)
    #expect(reference.matches(number: 2014))
    #expect(!reference.matches(number: 2013))
    #expect(reference.matches(text: "2014"))
    #expect(reference.matches(text: "2014.0"))
    #expect(!reference.matches(text: "2014a"))
    #expect(!reference.matches(text: ""))
    #expect(ReferenceValue.number(-1).matches(text: "-1"))
    #expect(ReferenceValue.number(1.5).matches(number: 1.5))
}

@Test("text references match equal text and, when numeric, the number")
func textReferences() {
    #expect(ReferenceValue.text("grains").matches(text: "grains"))
    #expect(!ReferenceValue.text("grains").matches(text: "Grains"))
    #expect(!ReferenceValue.text("grains").matches(number: 0))
    #expect(ReferenceValue.text("2014").matches(number: 2014))
    #expect(ReferenceValue.text("2014").matches(text: "2014"))
    #expect(!ReferenceValue.text("2014").matches(text: "2014.0"))
    #expect(ReferenceValue.text("-1").matches(number: -1))
}

@Test("text that Swift but not R reads as a number does not match numbers")
func nonDecimalText() {
    #expect(!ReferenceValue.text("inf").matches(number: .infinity))
    #expect(!ReferenceValue.text("0x10").matches(number: 16))
    #expect(!ReferenceValue.text("nan").matches(number: .nan))
    #expect(!ReferenceValue.number(16).matches(text: "0x10"))
}

@Test("indicators report which levels are references")
func indicatorReferences() throws {
    let formula = try ModelFormula.parse("y ~ i(year, ref = c(2013, \"2014\")) + i(crop, ref = grains)")
    let year = try #require(formula.terms[0].indicator)
    #expect(year.isReference(number: 2013))
    #expect(year.isReference(number: 2014))
    #expect(!year.isReference(number: 2015))
    #expect(year.isReference(text: "2013"))
    let crop = try #require(formula.terms[1].indicator)
    #expect(crop.isReference(text: "grains"))
    #expect(!crop.isReference(text: "fruit"))
    #expect(!Indicator(factor: "f").isReference(number: 1))
}
