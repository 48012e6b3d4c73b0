import DossierCore
@testable import DossierMarkdown
import DossierTestSupport
import Foundation
import Testing

/// Dossier's Markdown beyond CommonMark, table-driven: what each extension makes of its
/// syntax, that turning it off leaves CommonMark's reading, and where it locates links.
@Suite struct ExtensionTests {
    static func html(_ markdown: String, _ extensions: MarkdownExtensions = .all, rawHTML: Bool = false) throws -> String {
        try MarkdownRenderer.render(markdown, path: "a.md",
                                    options: MarkdownOptions(allowRawHTML: rawHTML, smartPunctuation: true, extensions: extensions)).html
    }

    /// (Markdown, HTML it must contain, HTML it must not)
    @Test(arguments: [
        // Pipe tables: alignment as style, inline Markdown, escaped pipes, pipes in code.
        ("| a | b |\n|:-:|--:|\n| *x* | `c\\|d` |\n", ["<th style=\"text-align: center\">a</th>", "<td style=\"text-align: right\"><code>c|d</code></td>", "<td style=\"text-align: center\"><em>x</em></td>"], ["align=", "—"]),
        // No outer pipes; a short row padded, a long one cut.
        ("a | b\n--- | ---\n1\n2 | 3 | 4\n", ["<td>1</td>\n<td></td>", "<td>2</td>\n<td>3</td>\n</tr>"], ["4"]),
        // A paragraph before the header stays a paragraph; the table ends at a blank line.
        ("Intro line\n| h |\n|---|\n| c |\n\nAfter\n", ["<p>Intro line</p>\n<table>", "<td>c</td>", "<p>After</p>"], []),
        // In a list and in a block quote.
        ("- item\n\n  | h | i |\n  |---|---|\n  | 1 | 2 |\n", ["<li>\n<p>item</p>\n<table>", "<td>2</td>"], []),
        ("> | h | i |\n> |---|---|\n> | 1 | 2 |\n", ["<blockquote>\n<table>", "<td>1</td>"], []),
        // Not a table: the delimiter row has the wrong number of cells; dashes stay dashes
        // only inside tables (here smart punctuation applies as to any paragraph).
        ("| a | b |\n| --- |\n", ["<p>| a | b |"], ["<table>"]),
        // A block marker at the start of a cell is text.
        ("| h |\n|---|\n| # not a heading |\n| - not a list |\n", ["<td># not a heading</td>", "<td>- not a list</td>"], ["<h1", "<ul>"]),
        // Strikethrough with one or two tildes; three are text; not across paragraphs.
        ("~~gone~~ and ~one~ but ~~~three~~~\n", ["<del>gone</del>", "<del>one</del>", "~~~three~~~"], []),
        ("This ~~has a\n\nnew paragraph~~.\n", ["<p>This ~~has a</p>"], ["<del>"]),
        ("~~*both* kinds~~\n", ["<del><em>both</em> kinds</del>"], []),
        // Extended autolinks: trailing punctuation, balanced parentheses, entities, e-mail.
        ("Visit www.example.org/a.b. or (https://example.org/x_(y)).\n", ["<a href=\"http://www.example.org/a.b\">www.example.org/a.b</a>. or (", "<a href=\"https://example.org/x_(y)\">https://example.org/x_(y)</a>)"], []),
        ("Mail a.b-c_d@a.b. Not a.b-c_d@a.b- nor [www.x.org](/y)\n", ["<a href=\"mailto:a.b-c_d@a.b\">a.b-c_d@a.b</a>.", "<a href=\"/y\">www.x.org</a>"], ["mailto:a.b-c_d@a.b-", "http://www.x.org"]),
        ("`www.example.org` in code\n", ["<code>www.example.org</code>"], ["<a "]),
        // Task lists.
        ("- [ ] open\n- [x] done\n- [y] neither\n", ["<li><input type=\"checkbox\" disabled=\"\" /> open</li>", "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>", "<li>[y] neither</li>"], []),
    ] as [(String, [String], [String])])
    func extensionsRender(markdown: String, present: [String], absent: [String]) throws {
        let out = try Self.html(markdown)
        for p in present { #expect(out.contains(p), "missing \(p) in \(out)") }
        for a in absent { #expect(!out.contains(a), "unexpected \(a) in \(out)") }
    }

    /// Each extension off: its syntax reads as CommonMark does, and the rest still works.
    @Test(arguments: [
        (MarkdownExtensions.tables, "| a |\n|---|\n| b |\n", "<p>| a |"),
        (.strikethrough, "~~x~~\n", "<p>~~x~~</p>"),
        (.autolinks, "www.example.org\n", "<p>www.example.org</p>"),
        (.taskLists, "- [ ] x\n", "<li>[ ] x</li>"),
    ])
    func eachExtensionCanBeTurnedOff(part: MarkdownExtensions, markdown: String, expected: String) throws {
        let out = try Self.html(markdown, MarkdownExtensions.all.subtracting(part))
        #expect(out.contains(expected), "\(out)")
    }

    /// A document without any extension's syntax renders byte for byte as with none (a
    /// seeded sample of CommonMark-ish inputs).
    @Test func noSyntaxNoChange() throws {
        var random = SplitMix64(seed: 13)
        let pieces = ["# Head\n", "para *em* **strong**\n", "> quote\n", "- item\n", "1. one\n", "`code`", "[l](/x)", "\n\n",
                      "text with - dash", "a|b", "  indented\n", "```\nfence\n```\n", "<b>x</b>", "done."]
        for _ in 0..<300 {
            var doc = ""
            for _ in 0..<Int(random.next() % 12) { doc += pieces[Int(random.next() % UInt64(pieces.count))] + (random.next() % 2 == 0 ? " " : "\n") }
            #expect(try Self.html(doc) == Self.html(doc, []), "\(doc)")
        }
    }

    @Test func tagFilterEscapesDangerousTagsWhenRawHTMLIsOn() throws {
        let out = try Self.html("<strong> <title> <style> <em>\n\n<iframe src=x>\n", rawHTML: true)
        #expect(out.contains("<strong> &lt;title> &lt;style> <em>"))
        #expect(out.contains("&lt;iframe src=x>"))
        #expect(try Self.html("<iframe src=x>\n", MarkdownExtensions.all.subtracting(.tagFilter), rawHTML: true).contains("<iframe src=x>"))
    }

    @Test func linksInTableCellsAreLocatedInTheFile() throws {
        let md = "Text\n\n| a | b |\n|---|---|\n| x | see [it](/there/) |\n"
        let r = try MarkdownRenderer.render(md, path: "a.md", firstLine: 5)
        let link = try #require(r.links.first { $0.url == "/there/" })
        #expect(link.location == SourceLocation(path: "a.md", line: 9, column: 11))
    }
}

/// GFM's spec through `dossier render`: its table, strikethrough, autolink and tag-filter
/// examples, and every CommonMark example, after the spec's own normalisation. Runs when
/// the shared reference folder (../shared/reference) is beside the project.
@Suite struct GFMConformanceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let reference = repository.deletingLastPathComponent().appendingPathComponent("shared/reference")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: reference.appendingPathComponent("gfm-spec.txt").path)))
    func theSpecsExamplesPass() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repository.appendingPathComponent("Tests/Conformance/gfm_spec.py").path, Self.binary.path,
                             Self.reference.appendingPathComponent("gfm-spec.txt").path, Self.reference.appendingPathComponent("gfm-normalize.py").path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let results = try #require(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        for kind in ["table", "strikethrough", "autolink", "tagfilter", "commonmark"] {
            let r = try #require(results[kind], "no \(kind) examples")
            #expect((r["total"] as? Int ?? 0) > 0)
            #expect(r["passed"] as? Int == r["total"] as? Int, "\(kind): failed \(r["failed"] ?? [])")
        }
        // CommonMark's 649 examples, as before the extensions.
        #expect(results["commonmark"]?["passed"] as? Int == 649)
    }

    static var binary: URL { TestBinary.dossier(repository: repository) }
}

/// Footnotes, callouts, heading attributes and definition lists, and the warnings for
/// syntax Dossier does not render.
@Suite struct BlockExtensionTests {
    static func render(_ markdown: String) throws -> RenderedMarkdown {
        try MarkdownRenderer.render(markdown, path: "a.md", firstLine: 3, options: MarkdownOptions(smartPunctuation: false))
    }

    /// (Markdown, HTML it must contain, HTML it must not)
    @Test(arguments: [
        // Numbered by first reference, whatever order the definitions come in.
        ("B[^b] A[^a] B again[^b]\n\n[^a]: Note A.\n[^b]: Note B.\n",
         ["<a href=\"#fn-b\" id=\"fnref-b\" aria-describedby=\"footnote-label\">1</a>", "<a href=\"#fn-a\" id=\"fnref-a\" aria-describedby=\"footnote-label\">2</a>",
          "id=\"fnref-b-2\"", "<li id=\"fn-b\">\n<p>Note B. <a href=\"#fnref-b\"", "href=\"#fnref-b-2\"", "<h2 id=\"footnote-label\" class=\"footnotes-title\">Notes</h2>"], ["[^"]),
        // A multi-paragraph note, and a `[^1]: x` that cmark would take for a link definition.
        ("Text[^1].\n\n[^1]: Source.\n\n    More about it.\n\nAfter.\n", ["<p>Source.</p>\n<p>More about it. <a href=\"#fnref-1\"", "<p>After.</p>"], ["<pre>", "href=\"Source.\""]),
        // A definition inside a block quote, and the quote around it still one quote.
        ("> Quoted[^q].\n>\n> [^q]: Inside the quote.\n>     Its second line.\n>\n> More quote.\n",
         ["<blockquote>\n<p>Quoted<sup", "<p>More quote.</p>\n</blockquote>", "<li id=\"fn-q\">\n<p>Inside the quote.\nIts second line. <a href=\"#fnref-q\""],
         ["[^q]", "<pre>"]),
        // Definitions inside code are code.
        ("```\n[^1]: not a note\n```\n", ["<code>[^1]: not a note\n</code>"], ["footnotes"]),
        ("> [!NOTE]\n> Read this.\n", ["<aside class=\"callout callout-note\" aria-label=\"Note\">\n<p class=\"callout-title\">Note</p>\n<p>Read this.</p>\n</aside>"], ["<blockquote>"]),
        ("> [!KEY FINDING] Korea trails\n> in every sector.\n", ["<aside class=\"callout callout-key-finding\" aria-label=\"Key finding: Korea trails\">", "<p>in every sector.</p>"], ["[!"]),
        ("> [!method]\n> How.\n", ["callout-method", "<p class=\"callout-title\">Method</p>"], []),
        ("> Just a quote [!NOTE]\n", ["<blockquote>"], ["<aside"]),
        ("## Intro {#start .wide}\n\n## Start\n", ["<h2 id=\"start\" class=\"wide\">Intro</h2>", "<h2 id=\"start-2\">Start</h2>"], ["{#"]),
        ("## Braces {not attributes}\n", ["<h2 id=\"braces-not-attributes\">Braces {not attributes}</h2>"], []),
        ("Term one\nTerm two\n: First definition\ncontinued.\n: Second.\n", ["<dl>\n<dt>Term one</dt>\n<dt>Term two</dt>\n<dd>First definition\ncontinued.</dd>\n<dd>Second.</dd>\n</dl>"], ["<p>"]),
        // Loose: a blank line before each definition, further paragraphs indented; the next
        // term continues the same list.
        ("Apple\n\n: A fruit.\n\n    Grown in *orchards*.\n\n    - red\n    - green\n\nPear\n\n: Another fruit.\n\nAfter.\n",
         ["<dl>\n<dt>Apple</dt>\n<dd>\n<p>A fruit.</p>\n<p>Grown in <em>orchards</em>.</p>\n<ul>\n<li>red</li>\n<li>green</li>\n</ul>\n</dd>\n<dt>Pear</dt>\n<dd>\n<p>Another fruit.</p>\n</dd>\n</dl>\n<p>After.</p>"],
         ["<pre>", ": A"]),
        ("Term\n\n: One.\n: Two.\n", ["<dt>Term</dt>\n<dd>\n<p>One.</p>\n</dd>\n<dd>\n<p>Two.</p>\n</dd>"], []),
        // Code after a definition list that is not indented under it stays code.
        ("Term\n: Def.\n\n    code\n", ["<dd>Def.</dd>", "<pre><code>code"], []),
        // Not definitions: a colon line with no term before it, a paragraph ending in a colon.
        (": alone\n", ["<p>: alone</p>"], ["<dl>"]),
        ("Note this:\n\nText.\n", ["<p>Note this:</p>"], ["<dl>"]),
    ] as [(String, [String], [String])])
    func blockExtensionsRender(markdown: String, present: [String], absent: [String]) throws {
        let out = try Self.render(markdown).html
        for p in present { #expect(out.contains(p), "missing \(p) in \(out)") }
        for a in absent { #expect(!out.contains(a), "unexpected \(a) in \(out)") }
    }

    /// (Markdown, the warnings' headlines; the body starts at file line 3)
    @Test(arguments: [
        ("See[^gone].\n", ["a.md:3:4: warning: footnote '[^gone]' has no definition: add '[^gone]: …' on a line of its own"]),
        ("Text.\n\n[^spare]: Never used.\n", ["a.md:5:1: warning: footnote 'spare' is defined but never referred to with [^spare]"]),
        ("> [!NOPE]\n> x\n", ["a.md:3:3: warning: unknown callout '[!NOPE]' (did you mean 'NOTE'?): it is shown as a plain quote; callouts: [!CAUTION], [!IMPORTANT], [!KEY FINDING], [!METHOD], [!NOTE], [!TIP], [!WARNING]"]),
        ("Before {{< figure src=\"x\" >}}\n", ["a.md:3:1: warning: a Hugo shortcode ({{< … >}} or {{% … %}}) is not something Dossier runs; it is shown as text: write it as Markdown (an image as ![alt](src), a chart or table as a ```chart or ```table block)"]),
        ("$$\nx^2\n$$\n", ["a.md:3:1: warning: display math ($$ … $$) is not rendered: Dossier has no math typesetting; write the formula in words, or as an image with alt text"]),
        ("::: warning\nx\n:::\n", ["a.md:3:1: warning: a ':::' fenced div (pandoc, Docusaurus) is not supported and is shown as text: for a callout write '> [!NOTE]' and the text in the quote"]),
        ("a <span>b</span>\n", ["a.md:3:3: warning: raw HTML is left out of the page (markdown: raw_html is off in site.yaml): write it as Markdown, or turn raw_html on if you trust every author"]),
        ("`{{< code >}}` and `$$` in code\n", []),
    ])
    func unsupportedSyntaxIsALocatedWarning(markdown: String, expected: [String]) throws {
        #expect(try Self.render(markdown).warnings.map(\.headline) == expected)
    }

    @Test func aHeadingIDAskedForTwiceIsAnError() throws {
        #expect(throws: DiagnosticError.self) { try Self.render("## A {#x}\n\n## B {#x}\n") }
        do {
            _ = try Self.render("## A {#x}\n\n## B {#x}\n")
        } catch let error as DiagnosticError {
            #expect(error.diagnostics.first?.headline == "a.md:5:1: error: heading id 'x' is used twice on this page")
        }
    }

    @Test func linksInNotesAreLocatedInTheFile() throws {
        let r = try Self.render("Text[^1].\n\n[^1]: See [the data](/data/).\n")
        #expect(r.links.first { $0.url == "/data/" }?.location == SourceLocation(path: "a.md", line: 5, column: 11))
    }
}

/// Hostile sizes: each of these was quadratic once (a search per delimiter, per trailing
/// parenthesis, per footnote), which at these sizes would not finish.
@Suite struct ExtensionBoundsTests {
    @Test func manyUnmatchedTildesAndParenthesesAndFootnotes() throws {
        let options = MarkdownOptions(smartPunctuation: false)
        let tildes = String(repeating: "~~a ", count: 40_000) + String(repeating: "b~ ", count: 40_000) + "\n"
        let struck = try MarkdownRenderer.render(tildes, path: "a.md", options: options).html
        #expect(!struck.contains("<del>"))  // single closers never match double openers
        let parens = "www.example.org/" + String(repeating: ")", count: 200_000) + "\n"
        #expect(try MarkdownRenderer.render(parens, path: "a.md", options: options).html.contains("<a href=\"http://www.example.org/\">"))
        let n = 20_000
        let notes = (0..<n).map { "x[^n\($0)]" }.joined(separator: " ") + "\n\n" + (0..<n).map { "[^n\($0)]: Note \($0)." }.joined(separator: "\n") + "\n"
        let rendered = try MarkdownRenderer.render(notes, path: "a.md", options: options)
        #expect(rendered.warnings.isEmpty)
        #expect(rendered.html.contains("<li id=\"fn-n19999\">\n<p>Note 19999."))
        #expect(rendered.html.contains("id=\"fnref-n19999\" aria-describedby=\"footnote-label\">20000</a>"))
    }
}
