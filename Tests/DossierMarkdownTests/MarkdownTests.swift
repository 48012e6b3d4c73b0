import DossierCore
@testable import DossierMarkdown
import Testing

@Suite struct MarkdownTests {
    @Test func headingIDsAreUniqueAndFormTheTOC() throws {
        let md = "# Title\n\n## Overview\n\ntext\n\n## Overview\n\n### Detail `code`\n\n#### Deep\n"
        let r = try MarkdownRenderer.render(md, path: "a.md")
        #expect(r.headings.map(\.id) == ["title", "overview", "overview-2", "detail-code", "deep"])
        #expect(r.tableOfContents.map(\.id) == ["overview", "overview-2", "detail-code"])
        #expect(r.html.contains("<h2 id=\"overview-2\">Overview</h2>"))
        #expect(r.html.contains("<h3 id=\"detail-code\">Detail <code>code</code></h3>"))
    }

    @Test(arguments: [
        ("<script>alert(1)</script>\n", "<script>"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("<img src=x onerror=alert(1)>", "onerror"),
    ])
    func safeModeStripsDangerousMarkup(input: String, forbidden: String) throws {
        let r = try MarkdownRenderer.render(input, path: "a.md")
        #expect(!r.html.contains(forbidden))
    }

    /// Words are counted on cmark's text pieces: a word split by emphasis counts once,
    /// line breaks and block ends separate words, code counts, markup does not.
    @Test(arguments: [
        ("one two  three", 3, ""),
        ("foo*bar* baz", 2, ""),
        ("line one\nline two\\\nthree", 5, ""),
        ("# Heading words\n\nPara\n\n- item a\n- item b", 7, ""),
        ("`code span` and [a link](/x) ![alt text](/i.png)", 7, ""),
        ("```\nlet x = 1\n```\n\ntail", 5, ""),
        ("Short.\n\nThis paragraph is long enough to be the summary of the page, surely.\n\nLast.", 15,
         "This paragraph is long enough to be the summary of the page, surely."),
        ("", 0, ""),
    ])
    func countsWordsAndFindsTheSummary(markdown: String, words: Int, summary: String) throws {
        let r = try MarkdownRenderer.render(markdown, path: "a.md")
        #expect(r.wordCount == words)
        #expect(r.firstParagraph == summary)
    }

    @Test func rawHTMLCanBeAllowed() throws {
        let r = try MarkdownRenderer.render("<aside>hi</aside>\n", path: "a.md", options: MarkdownOptions(allowRawHTML: true))
        #expect(r.html.contains("<aside>hi</aside>"))
    }

    @Test func nulDoesNotTruncate() throws {
        let r = try MarkdownRenderer.render("before\u{0}after\n\nlast paragraph\n", path: "a.md")
        #expect(r.html.contains("last paragraph"))
        #expect(r.html.contains("after"))
    }

    @Test func directivesAreResolvedWithFileLines() throws {
        let md = "Intro\n\n```chart\ndata: x\n```\n\n```swift\nlet a = 1\n```\n"
        var seen: [Directive] = []
        let r = try MarkdownRenderer.render(md, path: "Content/a.md", firstLine: 5) { d in
            seen.append(d)
            return "<figure>X</figure>" as DirectiveOutput
        }
        #expect(seen.count == 1)
        #expect(seen[0].location.line == 7)
        #expect(seen[0].bodyFirstLine == 8)
        #expect(seen[0].body == "data: x\n")
        #expect(r.html.contains("<figure>X</figure>"))
        #expect(r.html.contains("let a = 1"))
    }

    @Test func directiveErrorsAreAllCollected() {
        let md = "```chart\na\n```\n\n```table\nb\n```\n"
        #expect(throws: DiagnosticError.self) {
            try MarkdownRenderer.render(md, path: "a.md") { d in throw DiagnosticError(.error("bad \(d.kind)", at: d.location)) }
        }
        do {
            _ = try MarkdownRenderer.render(md, path: "a.md") { d in throw DiagnosticError(.error("bad \(d.kind)", at: d.location)) }
        } catch {
            #expect(error.diagnostics.map(\.message) == ["bad chart", "bad table"])
        }
    }

    @Test func linksAreCollected() throws {
        let r = try MarkdownRenderer.render("See [data](/data/) and ![a chart](c.png).\n", path: "a.md", firstLine: 3)
        #expect(r.links.map(\.url) == ["/data/", "c.png"])
        #expect(r.links[1].isImage && r.links[1].text == "a chart")
        #expect(r.links[0].location.line == 3)
    }
}

/// The 16-bytes-at-a-time word count agrees with a plain count on every split of a text.
@Suite struct WordCountTests {
    @Test func agreesWithAPlainCount() throws {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("ab \n\t\r\u{0C}é한.".utf8)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            var expected = 0, afterSpace = true
            for b in bytes {
                let space = [0x20, 0x0A, 0x09, 0x0D, 0x0C].contains(b)
                if !space && afterSpace { expected += 1 }
                afterSpace = space
            }
            let cut = Int.random(in: 0...bytes.count, using: &generator)
            var counter = MarkdownRenderer.WordCounter()
            bytes[..<cut].withUnsafeBytes { counter.count($0) }
            bytes[cut...].withUnsafeBytes { counter.count($0) }
            #expect(counter.words == expected, "\(bytes) cut at \(cut)")
        }
    }
}
