import DossierCite
import DossierCore
import DossierTestSupport
import Foundation
import Testing

@testable import DossierMarkdown

/// Citations in Markdown, against the test bibliography of DossierCiteTests.
@Suite struct CitationTests {
    static let bib = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("DossierCiteTests/Fixtures/references.bib")

    static func library() throws -> Library {
        let (references, errors) = BibTeX.parse(try String(contentsOf: bib, encoding: .utf8), path: "references.bib")
        #expect(errors.isEmpty)
        return Library(references)
    }

    static func render(_ markdown: String, style: CitationStyle = .authorDate) throws -> (RenderedMarkdown, CitationProcessor) {
        let processor = CitationProcessor(library: try library(), style: style, path: "a.md")
        let rendered = try MarkdownRenderer.render(markdown, path: "a.md", firstLine: 3, citations: processor)
        return (rendered, processor)
    }

    static func text(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
    }

    static let sentence = "A [@kim2020]. B [@kim2020, p. 12]. C [see @kim2020b, ch. 2; @park2019]. D @muller2018 says. E [-@smith2021]. "
        + "F [@oecd2021; @oecd2022data]. G [@nd]. H [@unattributed]. I [@aiact2024]. J [@smith2021, pp. 33-35]. K @kdi2022 [p. 4] says. "
        + "L [@msit2024; @nia2023, 12]."

    /// The in-text citations read as pandoc --citeproc sets them (its plain text).
    @Test func inTextCitationsMatchPandoc() throws {
        let (rendered, _) = try Self.render(Self.sentence + "\n")
        let paragraph = Self.text(rendered.html.components(separatedBy: "<section")[0])
        let pandoc = try Pandoc.citeproc("---\nsuppress-bibliography: true\n---\n" + Self.sentence + "\n", bibliography: Self.bib, to: "plain")
        func norm(_ s: String) -> String {
            s.replacingOccurrences(of: "\u{A0}", with: " ").trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        }
        #expect(norm(paragraph) == norm(pandoc), "\(Array(norm(paragraph).unicodeScalars).map { $0.value }.filter { $0 > 127 }) vs \(Array(norm(pandoc).unicodeScalars).map { $0.value }.filter { $0 > 127 })")
    }

    /// (Markdown, HTML it must contain, HTML it must not)
    @Test(arguments: [
        ("See [@kim2020].\n", ["<span class=\"citation\" data-cites=\"kim2020\">(<a href=\"#ref-kim2020\" class=\"citation-link\">Kim and Lee 2020a</a>)</span>",
                               "<section class=\"references\" aria-labelledby=\"references-title\">", "<p id=\"ref-kim2020\" class=\"reference\">Kim, Minsu, and Ji-woo Lee. 2020a."],
         ["[@"]),
        // Never a citation: an e-mail address, code, a link's text.
        ("Write to office@kim2020.org or `@kim2020`, or [see @kim2020](https://example.org).\n", ["mailto:office@kim2020.org", "<code>@kim2020</code>"], ["citation", "references"]),
        // Cited in a note, listed once.
        ("Claim.[^1] Again [@kim2020].\n\n[^1]: As in @kim2020.\n", ["Kim and Lee</a> (<a href=\"#ref-kim2020\" class=\"citation-link\">2020a</a>)"], []),
        // Cited in a table cell.
        ("| a | b |\n|---|---|\n| [@nd] | x |\n", ["<td><span class=\"citation\" data-cites=\"nd\">(<a href=\"#ref-nd\" class=\"citation-link\">Baek, n.d.</a>)</span></td>"], []),
    ] as [(String, [String], [String])])
    func citationsRender(markdown: String, present: [String], absent: [String]) throws {
        let out = try Self.render(markdown).0.html
        for p in present { #expect(out.contains(p), "missing \(p) in \(out)") }
        for a in absent { #expect(!out.contains(a), "unexpected \(a) in \(out)") }
    }

    @Test func theListComesBeforeTheNotesAndOnlyOnce() throws {
        let out = try Self.render("Claim.[^1] Again [@kim2020].\n\n[^1]: As in @kim2020.\n").0.html
        let references = out.range(of: "class=\"references\"")!, notes = out.range(of: "class=\"footnotes\"")!
        #expect(references.lowerBound < notes.lowerBound)
        #expect(out.components(separatedBy: "id=\"ref-kim2020\"").count == 2)
    }

    /// `::: references` places the list (as one paragraph or two); without citations it
    /// is a warning and is left out.
    @Test(arguments: ["::: references\n:::\n", "::: {#refs}\n\n:::\n"])
    func theAuthorPlacesTheList(div: String) throws {
        let (rendered, _) = try Self.render("Cited [@nd].\n\n## Sources\n\n" + div + "\nAfter.\n")
        let html = rendered.html
        let list = try #require(html.range(of: "<section class=\"references\""))
        #expect(html.range(of: "<h2 id=\"sources\">Sources</h2>")!.upperBound < list.lowerBound)
        #expect(list.upperBound < html.range(of: "<p>After.</p>")!.lowerBound)
        #expect(!html.contains(":::"))
        #expect(rendered.warnings.isEmpty)
        let plain = try MarkdownRenderer.render("Nothing cited.\n\n::: references\n:::\n", path: "a.md", firstLine: 3)
        #expect(!plain.html.contains(":::"))
        #expect(plain.warnings.map(\.headline) == ["a.md:5:1: warning: '::: references' marks where the reference list goes, but this page cites no work, so it is left out"])
    }

    @Test func numericStyleNumbersByFirstCitation() throws {
        let out = try Self.render("B [@park2019]. A [@kim2020, p. 3; @park2019]. @nd says.\n", style: .numeric).0.html
        #expect(Self.text(out).contains("B [1]. A [2, 3, 1]. Baek [3] says."))
        #expect(out.contains("<ol class=\"references-list references-numeric\">\n<li id=\"ref-park2019\""))
    }

    @Test func anUnknownKeyIsALocatedWarningWithASuggestion() throws {
        let (rendered, _) = try Self.render("Text\nas said [@kim202].\n")
        #expect(rendered.warnings.map(\.headline) == ["a.md:4:9: warning: no reference 'kim202' in the bibliography (did you mean 'kim2020'?); it is shown as written"])
        #expect(rendered.html.contains("[@kim202]"))
    }
}

/// `@fig-…`, `@tbl-…`, `@sec-…`, with or without a bibliography.
@Suite struct CrossReferenceTests {
    /// A resolver that numbers `chart` blocks as figures and `table` blocks as tables and
    /// takes `label:` from the body's first line.
    static func render(_ markdown: String) throws(DiagnosticError) -> RenderedMarkdown {
        var figures = 0, tables = 0
        return try MarkdownRenderer.render(markdown, path: "a.md", firstLine: 3) { d in
            let label = d.body.split(separator: "\n").first.flatMap { $0.hasPrefix("label: ") ? String($0.dropFirst(7)) : nil }
            let isTable = d.kind == "table"
            if isTable { tables += 1 } else { figures += 1 }
            return DirectiveOutput(html: "<figure id=\"\(label ?? "x")\"></figure>", label: label, kind: isTable ? "Table" : "Figure",
                                   number: isTable ? tables : figures)
        }
    }

    /// (Markdown, HTML it must contain)
    @Test(arguments: [
        ("As @fig-b shows, and [-@fig-a].\n\n```chart\nlabel: fig-a\n```\n\n```chart\nlabel: fig-b\n```\n",
         ["As <a href=\"#fig-b\" class=\"cross-ref\">Figure\u{A0}2</a> shows, and <a href=\"#fig-a\" class=\"cross-ref\">1</a>."]),
        ("See @tbl-policy.\n\n```table\nlabel: tbl-policy\n```\n", ["See <a href=\"#tbl-policy\" class=\"cross-ref\">Table\u{A0}1</a>."]),
        ("## Method {#sec-method}\n\nAs in @sec-method.\n", ["As in <a href=\"#sec-method\" class=\"cross-ref\">Method</a>."]),
        ("Both [@fig-a; @fig-b].\n\n```chart\nlabel: fig-a\n```\n\n```chart\nlabel: fig-b\n```\n",
         ["Both <a href=\"#fig-a\" class=\"cross-ref\">Figure\u{A0}1</a>, <a href=\"#fig-b\" class=\"cross-ref\">Figure\u{A0}2</a>."]),
        // In a note too.
        ("Text.[^1]\n\n[^1]: See @fig-a.\n\n```chart\nlabel: fig-a\n```\n", ["See <a href=\"#fig-a\" class=\"cross-ref\">Figure\u{A0}1</a>."]),
    ])
    func crossReferencesLinkToTheirTargets(markdown: String, present: [String]) throws {
        let out = try Self.render(markdown).html
        for p in present { #expect(out.contains(p), "missing \(p) in \(out)") }
        #expect(!out.contains("\u{E002}"))
    }

    /// (Markdown, the errors' headlines)
    @Test(arguments: [
        ("See @fig-nope.\n\n```chart\nlabel: fig-adoption\n```\n", ["a.md:3:5: error: no figure labelled 'fig-nope' on this page: add 'label: fig-nope' to its ```chart block"]),
        ("See @fig-adoptoin.\n\n```chart\nlabel: fig-adoption\n```\n", ["a.md:3:5: error: no figure labelled 'fig-adoptoin' on this page (did you mean 'fig-adoption'?): add 'label: fig-adoptoin' to its ```chart block"]),
        ("```chart\nlabel: fig-a\n```\n\n```chart\nlabel: fig-a\n```\n", ["a.md:7:1: error: the label 'fig-a' is given twice on this page"]),
        ("As in @sec-none.\n", ["a.md:3:7: error: no section 'sec-none' on this page: give its heading '{#sec-none}'"]),
    ])
    func unknownAndDuplicateLabelsAreLocatedErrors(markdown: String, expected: [String]) {
        do {
            _ = try Self.render(markdown)
            Issue.record("should fail")
        } catch {
            #expect(error.diagnostics.map(\.headline) == expected)
        }
    }
}
