import Primitives
import Testing

/// The one markup escaping (Sources/Primitives/MarkupText.swift) that replaced HTMLText.escape and
/// SVGMarkup.escape: the five characters HTML and XML reserve become the entities each language
/// defines, and only the XML dialect drops the control characters XML 1.0 does not allow.
@Suite struct MarkupTextTests {
    @Test func htmlWritesTheFiveReservedCharactersAsEntities() {
        #expect(MarkupText.html(#"a & b < c > d "e" 'f'"#) == "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;")
        // HTML text may hold control characters; they pass through as they came.
        #expect(MarkupText.html("x\u{1}y\tz") == "x\u{1}y\tz")
    }

    @Test func xmlUsesApostropheEntityAndDropsForbiddenCharacters() {
        #expect(MarkupText.xml(#"a & b < c > d "e" 'f'"#) == "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;")
        // Tab, newline and carriage return are XML characters; U+0001, U+001F, U+FFFE and U+FFFF are not.
        #expect(MarkupText.xml("a\u{1}b\u{1F}c\u{FFFE}d\u{FFFF}e") == "abcde")
        #expect(MarkupText.xml("a\tb\nc\rd") == "a\tb\nc\rd")
    }

    @Test func textWithoutReservedCharactersIsUnchanged() {
        let plain = "Effet moyen (ATT) — 2014–2019, ±1.5 σ"
        #expect(MarkupText.html(plain) == plain)
        #expect(MarkupText.xml(plain) == plain)
    }
}
