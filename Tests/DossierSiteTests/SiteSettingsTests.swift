import DossierCore
import DossierSite
import Foundation
import Testing

/// Site-level tests of the documented settings and defaults: each builds a small site in a
/// temporary folder and reads the pages it wrote.
@Suite struct SiteSettingsTests {
    static let body = "Before <span class=\"x\">raw</span> \"quoted\" -- dash [bad](javascript:alert(1)).\n"

    /// (markdown settings in site.yaml, what the page must contain, what it must not).
    /// With raw HTML on, the author may write any link, so `javascript:` ones stay.
    @Test(arguments: [
        ("", ["<!-- raw HTML omitted -->", "“quoted”", "– dash", "<a href=\"\">bad</a>"], ["<span class=\"x\">", "javascript:", "&quot;quoted&quot;"]),
        ("markdown: { raw_html: true }\n", ["<span class=\"x\">raw</span>", "“quoted”", "href=\"javascript:alert(1)\""], ["raw HTML omitted"]),
        ("markdown: { smart_punctuation: false }\n", ["&quot;quoted&quot; -- dash", "<!-- raw HTML omitted -->"], ["“", "–", "javascript:"]),
        ("markdown: { raw_html: true, smart_punctuation: false }\n", ["<span class=\"x\">raw</span> &quot;quoted&quot; --"], ["“"]),
    ])
    func markdownSettings(settings: String, present: [String], absent: [String]) throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: /\n" + settings
        files["Content/notes/first.md"] = "---\ntitle: First\n---\n\n" + Self.body
        let site = try Fixture(files)
        try site.build()
        let page = try #require(site.read("Output/notes/first/index.html"))
        for text in present { #expect(page.contains(text), "missing \(text) with \(settings)") }
        for text in absent { #expect(!page.contains(text), "unexpected \(text) with \(settings)") }
    }

    @Test func feedLimitKeepsTheNewestPages() throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\nfeed_limit: 2\n"
        for i in 1...5 { files["Content/more/p\(i).md"] = "---\ntitle: Page \(i)\ndate: 2026-01-0\(i)\n---\n\nText \(i).\n" }
        let site = try Fixture(files)
        try site.build()
        let feed = try #require(site.read("Output/feed.xml"))
        #expect(feed.components(separatedBy: "<entry>").count - 1 == 2)
        #expect(feed.contains("<title>Page 5</title>") && feed.contains("<title>Page 4</title>"))
        #expect(!feed.contains("<title>Page 3</title>"))
        // Without the key: 50, so every dated page here but the home page.
        try site.write("Content/site.yaml", "title: Test site\nbase_url: https://example.org/\n")
        try site.build()
        #expect(try #require(site.read("Output/feed.xml")).components(separatedBy: "<entry>").count - 1 == 7)
    }

    @Test(arguments: ["0", "2.5", "many"])
    func feedLimitMustBeAWholeNumber(value: String) throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: /\nfeed_limit: \(value)\n"
        let site = try Fixture(files)
        #expect(site.failedBuild().first?.headline == "Content/site.yaml:3:13: error: 'feed_limit' must be a whole number of at least 1")
    }

    /// (body, front matter summary, expected summary, expected reading time in minutes)
    @Test(arguments: [
        ("Too short to count.\n\nThis second paragraph has more than eight words in it, so it is the summary.\n", nil,
         "This second paragraph has more than eight words in it, so it is the summary.", 1),
        ("## A heading\n\nThe *first* paragraph, with [a link](https://example.org/) and `code`, over eight words.\n", nil,
         "The first paragraph, with a link and code, over eight words.", 1),
        (String(repeating: "word ", count: 221) + "\n", nil, String(repeating: "word ", count: 55) + "wo…", 2),
        ("Ignored because the front matter says what the page is about, in so many words.\n", "Set by hand.", "Set by hand.", 1),
        ("", nil, "", 1),
    ] as [(String, String?, String, Int)])
    func defaultSummaryAndReadingTime(body: String, summary: String?, expected: String, minutes: Int) throws {
        var files = Fixture.basic
        files["Templates/article.html"] = "<s>{{ page.summary }}</s><r>{{ page.reading_time }}</r>"
        files["Content/notes/first.md"] = "---\ntitle: First\n" + (summary.map { "summary: \($0)\n" } ?? "") + "---\n\n" + body
        let site = try Fixture(files)
        try site.build()
        let page = try #require(site.read("Output/notes/first/index.html"))
        #expect(page == "<s>\(HTML.escape(expected))</s><r>\(minutes)</r>")
    }

    @Test func printViewOrdersByWeightThenHomeThenDate() throws {
        let site = try Fixture([
            "Content/site.yaml": "title: T\nbase_url: /\n",
            "Content/index.md": "---\ntitle: Home\n---\n\nHome text.\n",
            "Content/a.md": "---\ntitle: A\nweight: 2\ndate: 2020-01-01\n---\n\nA.\n",
            "Content/b.md": "---\ntitle: B\nweight: 1.5\n---\n\nB.\n",
            "Content/c.md": "---\ntitle: C\ndate: 2025-01-01\n---\n\nC.\n",
            "Content/d.md": "---\ntitle: D\ndate: 2024-01-01\n---\n\nD.\n",
            "Content/e.md": "---\ntitle: E\nweight: 2\ndate: 2019-01-01\n---\n\nE.\n",
            "Templates/article.html": "{{ page.content }}",
            "Templates/home.html": "{{ page.content }}",
            "Templates/print.html": "{% for s in page.pages %}[{{ s.title }}]{% endfor %}",
        ])
        try site.build()
        // Equal weights fall back to date; pages without a weight follow the home page.
        #expect(site.read("Output/print/index.html") == "[B][E][A][Home][D][C]")
    }

    @Test func yamlAndJSONDatasetsRenderAndPublish() throws {
        var files = Fixture.basic
        files["Content/data/levels.yaml"] = "title: Levels\nsource: { name: Tests }\nrows:\n  - { Country: Korea, Score: 2 }\n  - { Country: Japan, Score: 3.5 }\n"
        files["Content/data/series.json"] = #"{"title": "Series", "source": {"name": "Tests"}, "rows": [{"Year": 2024, "Value": 10}, {"Year": 2025, "Value": null}]}"#
        files["Content/notes/first.md"] = "---\ntitle: First\n---\n\n```table\ndata: levels\n```\n\n```table\ndata: series\n```\n"
        let site = try Fixture(files)
        try site.build()
        let page = try #require(site.read("Output/notes/first/index.html"))
        for text in ["Levels", "Korea", "Japan", "3.5", "Series", "2025", "not stated"] { #expect(page.contains(text), "missing \(text)") }
        #expect(site.read("Output/data/levels.csv") == "Country,Score\r\nKorea,2\r\nJapan,3.5\r\n")
        #expect(site.read("Output/data/series.csv") == "Year,Value\r\n2024,10\r\n2025,\r\n")
    }

    @Test func aDatasetWithoutRowsIsALocatedError() throws {
        var files = Fixture.basic
        files["Content/data/levels.json"] = "{\"title\": \"Levels\"}"
        let site = try Fixture(files)
        #expect(site.failedBuild().contains { $0.headline.hasPrefix("Content/data/levels.json:1:1: error: a YAML or JSON dataset needs 'rows:'") })
    }
}

/// The build command's flags, through the real executable.
@Suite struct BuildFlagTests {
    let cli = CommandLineTests()

    func json(_ run: CommandLineTests.Run) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func threadsChangeNothingInTheOutput() throws {
        var files = Fixture.basic
        for i in 0..<30 { files["Content/more/p\(i).md"] = "---\ntitle: Page \(i)\ndate: 2025-02-\(10 + i % 18)\n---\n\n## Part\n\nText \(i).\n" }
        let site = try Fixture(files)
        let one = try cli.dossier(["build", "--site", site.root.path, "--threads", "1", "--no-cache", "--output", site.root.appendingPathComponent("One").path])
        let three = try cli.dossier(["build", "--site", site.root.path, "--threads", "3", "--no-cache", "--output", site.root.appendingPathComponent("Three").path])
        #expect(one.status == 0 && three.status == 0)
        #expect(site.tree("One").count > 30 && site.tree("One") == site.tree("Three"))
        let zero = try cli.dossier(["build", "--site", site.root.path, "--threads", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--threads must be at least 1"))
    }

    @Test func strictTurnsWarningsIntoErrors() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\nSee [the missing page](/notes/missing/).\n"
        let site = try Fixture(files)
        let relaxed = try cli.dossier(["build", "--site", site.root.path], environment: ["NO_COLOR": "1"])
        #expect(relaxed.status == 0)
        #expect(relaxed.stderr.contains("Content/notes/second.md:5:5: warning: broken link"))
        let strict = try cli.dossier(["build", "--site", site.root.path, "--strict", "--output", site.root.appendingPathComponent("Strict").path],
                                     environment: ["NO_COLOR": "1"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("Content/notes/second.md:5:5: error: broken link"))
        #expect(site.tree("Strict").isEmpty)
    }

    @Test func noCacheRendersEveryPageAgainToTheSameBytes() throws {
        let site = try Fixture(Fixture.basic)
        let args = ["build", "--site", site.root.path, "--format", "json"]
        #expect(try cli.dossier(args).status == 0)
        let before = site.tree()
        let cached = try json(cli.dossier(args))
        #expect(cached["reused_pages"] as? Int == 3)
        let fresh = try json(cli.dossier(args + ["--no-cache"]))
        #expect(fresh["reused_pages"] as? Int == 0)
        #expect(site.tree() == before)
    }
}

/// Problems in what templates wrote are reported where the template wrote them — the
/// statement that rendered them, not the first place the same text appears.
@Suite struct TemplateLocationTests {
    func warnings(_ site: Fixture) throws -> [String] {
        try site.build().warnings.map(\.headline)
    }

    @Test func brokenLinksPointAtTheTemplateStatementThatWroteThem() throws {
        var files = Fixture.basic
        files["Templates/partials/nav.html"] = "{% macro link(to) %}\n  <a href=\"{{ to }}\">x</a>{% endmacro %}"
        files["Templates/article.html"] = """
            {% extends "base.html" %}{% import "partials/nav.html" %}{% block main %}
            <a href="/notes/">notes</a> <a href="/notes/first/">ok</a>
            <a href="/nowhere/">gone</a>
            {{ link("/from-macro/") }}
            <a href="{{ page.url }}#no-such-id">self</a>
            <img src="/assets/style.css">
            {{ page.content }}{% endblock %}
            """
        let site = try Fixture(files)
        let found = try warnings(site)
        // Each where it was written (not at Output/…:1, nor where the text first appears);
        // a value at its `{{ … }}`, a macro's text in the macro.
        #expect(found.contains("Templates/article.html:2:10: warning: broken link on /notes/first/: nothing at '/notes/'"))
        #expect(found.contains("Templates/article.html:3:10: warning: broken link on /notes/first/: nothing at '/nowhere/'"))
        #expect(found.contains("Templates/partials/nav.html:2:14: warning: broken link on /notes/first/: nothing at '/from-macro/'"))
        #expect(found.contains("Templates/article.html:5:12: warning: broken link on /notes/first/: no element with id 'no-such-id' on this page"))
        #expect(found.contains("Templates/article.html:6:1: warning: an <img> has no alt attribute (use alt=\"\" for decoration)"))
        #expect(!found.contains { $0.hasPrefix("Output/") })
        // From the build cache, the same places.
        try site.write("Content/notes/second.md", "---\ntitle: Second\ndate: 2025-03-04\n---\n\nChanged.\n")
        #expect(try warnings(site).sorted() == found.sorted())
    }

    @Test func aTemplateChartErrorPointsAtTheCall() throws {
        var files = Fixture.basic
        files["Templates/article.html"] = "<h1>{{ page.title }}</h1>\n<div>{{ chart({data: \"scroes\", type: \"bar\"}) }}</div>"
        let site = try Fixture(files)
        let d = try #require(site.failedBuild().first)
        #expect(d.headline == "Templates/article.html:2:9: error: chart(): unknown dataset 'scroes' (did you mean 'scores'?)")
        #expect(d.sourceLine == "<div>{{ chart({data: \"scroes\", type: \"bar\"}) }}</div>")
    }
}

/// The Markdown extensions in a site: warnings that `--strict` makes errors, notes that
/// stay with their article in the print view, and the switches in site.yaml.
@Suite struct MarkdownExtensionSiteTests {
    static var files: [String: String] {
        var files = Fixture.basic
        files["Content/notes/first.md"] = "---\ntitle: First\nweight: 1\n---\n\nA claim.[^src] And [^nowhere].\n\n[^src]: The source.\n"
        files["Content/notes/second.md"] = "---\ntitle: Second\nweight: 2\n---\n\nAnother claim.[^src]\n\n[^src]: Another source.\n"
        files["Templates/print.html"] = "{% for s in page.pages %}<section id=\"{{ s.anchor }}\">{{ s.content }}</section>{% endfor %}"
        return files
    }

    @Test func aMissingFootnoteIsAWarningAndUnderStrictAnError() throws {
        let site = try Fixture(Self.files)
        let report = try site.build()
        #expect(report.warnings.map(\.headline).contains("Content/notes/first.md:6:20: warning: footnote '[^nowhere]' has no definition: add '[^nowhere]: …' on a line of its own"))
        let strict = site.failedBuild(strict: true)
        #expect(strict.contains { $0.headline == "Content/notes/first.md:6:20: error: footnote '[^nowhere]' has no definition: add '[^nowhere]: …' on a line of its own" })
        // Printed again by the next build, though nothing changed.
        #expect(try site.build().warnings.contains { $0.headline.contains("[^nowhere]") })
    }

    @Test func eachArticleKeepsItsNotesInThePrintView() throws {
        let site = try Fixture(Self.files)
        try site.build()
        let print = try #require(site.read("Output/print/index.html"))
        let sections = print.components(separatedBy: "<section id=\"s").dropFirst()
        let first = try #require(sections.first { $0.contains("A claim.") })
        let second = try #require(sections.first { $0.contains("Another claim.") })
        #expect(first.contains("The source.") && !first.contains("Another source."))
        #expect(second.contains("Another source.") && !second.contains("The source."))
        // The same label on two pages: ids prefixed per section, so unique in one document.
        let ids = print.matches(of: /id="([^"]+)"/).map { String($0.1) }
        #expect(Set(ids).count == ids.count)
        #expect(print.contains("href=\"#s1-fn-src\"") || print.contains("href=\"#s2-fn-src\""))
    }

    @Test func aSwitchedOffExtensionLeavesCommonMark() throws {
        var files = Self.files
        files["Content/site.yaml"] = "title: Test site\nbase_url: /\nmarkdown: { footnotes: false }\n"
        let site = try Fixture(files)
        try site.build()
        #expect(try #require(site.read("Output/notes/first/index.html")).contains("[^src]"))
    }

    @Test(arguments: [
        ("markdown: { tabels: false }\n", "Content/site.yaml:3:13: error: unknown Markdown setting 'tabels' (did you mean 'tables'?)"),
        ("markdown: { tables: no-thanks }\n", "Content/site.yaml:3:21: error: 'markdown: tables' must be true or false"),
        ("markdown: false\n", "Content/site.yaml:3:11: error: 'markdown' must be a mapping of settings, e.g. { tables: false }"),
    ])
    func markdownSettingsAreChecked(settings: String, expected: String) throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: /\n" + settings
        let site = try Fixture(files)
        #expect(site.failedBuild().contains { $0.headline.hasPrefix(expected) }, "\(site.failedBuild().map(\.headline))")
    }
}

@Suite struct ReservedFolderTests {
    @Test func aPageUnderDataIsALocatedError() throws {
        var files = Fixture.basic
        files["Content/data/about.md"] = "---\ntitle: About the data\n---\n\nText.\n"
        let site = try Fixture(files)
        #expect(site.failedBuild().map(\.headline) == [
            "Content/data/about.md:1:1: error: Content/data/ holds datasets (.csv, .json, .yaml), not pages: move about.md out of data/ (a page about the data can be Content/data.md, published at /data/)",
        ])
    }
}

/// Dates and URLs from front matter as other tools write them (#15 item 4).
@Suite struct FrontMatterDateTests {
    static let now = DateText.parse("2025-06-01")!

    static func site(_ pages: [String: String]) throws -> Fixture {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\n"
        for (k, v) in pages { files[k] = v }
        return try Fixture(files)
    }

    @discardableResult
    static func build(_ site: Fixture, expired: Bool = false) throws(DiagnosticError) -> BuildReport {
        var options = BuildOptions(site: site.root, now: now)
        options.expired = expired
        return try SiteBuilder.build(options)
    }

    @Test func lastmodIsUpdatedAndDrivesFeedAndSitemap() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\ndate: 2025-03-04\nlastmod: 2025-05-06\n---\n\nText.\n"])
        try Self.build(site)
        #expect(site.read("Output/feed.xml")?.contains("<updated>2025-05-06T00:00:00Z</updated>") == true)
        #expect(site.read("Output/sitemap.xml")?.contains("<loc>https://example.org/notes/second/</loc><lastmod>2025-05-06</lastmod>") == true)
    }

    @Test func publishDateAndExpiresHidePages() throws {
        let site = try Self.site([
            "Content/notes/later.md": "---\ntitle: Later\npublishDate: 2025-07-01\n---\n\nText.\n",
            "Content/notes/gone.md": "---\ntitle: Gone\nexpires: 2025-05-01\n---\n\nText.\n",
            "Content/notes/live.md": "---\ntitle: Live\nexpiryDate: 2026-01-01\n---\n\nText.\n",
        ])
        try Self.build(site)
        #expect(site.read("Output/notes/later/index.html") == nil)
        #expect(site.read("Output/notes/gone/index.html") == nil)
        #expect(site.read("Output/notes/live/index.html") != nil)
        try Self.build(site, expired: true)
        #expect(site.read("Output/notes/gone/index.html") != nil)
    }

    @Test func urlSetsTheWholeURL() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\nurl: /reports/2025/second/\n---\n\nText.\n"])
        try Self.build(site)
        #expect(site.read("Output/reports/2025/second/index.html") != nil)
        #expect(site.read("Output/notes/second/index.html") == nil)
    }

    /// (front matter lines, the error's headline)
    @Test(arguments: [
        ("updated: 2025-01-01\nlastmod: 2025-02-02", "Content/notes/second.md:4:10: error: 'updated' and 'lastmod' are the same field: give one"),
        ("url: reports/x", "Content/notes/second.md:3:6: error: 'url' must start and end with '/', e.g. /reports/2025/, got 'reports/x'"),
        ("url: /a/../b/", "Content/notes/second.md:3:6: error: 'url' must be path segments of letters, digits, '-', '_' or '.', got '/a/../b/'"),
        ("url: /x/\nslug: y", "Content/notes/second.md:3:6: error: give 'url' (the whole URL) or 'slug' (its last part), not both"),
        ("expires: someday", "Content/notes/second.md:3:10: error: 'expires' is not a date: 'someday' (expected YYYY-MM-DD or RFC 3339, e.g. 2025-06-01)"),
    ])
    func badDatesAndURLsAreLocatedErrors(lines: String, expected: String) throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\n\(lines)\n---\n\nText.\n"])
        do throws(DiagnosticError) {
            try Self.build(site)
            Issue.record("should fail")
        } catch {
            #expect(error.diagnostics.map(\.headline).contains(expected), "\(error.diagnostics.map(\.headline))")
        }
    }
}

@Suite struct SectionIndexTests {
    @Test func underscoreIndexIsTheFoldersIndex() throws {
        var files = Fixture.basic
        files["Content/notes/_index.md"] = "# Notes\n\nAll the notes.\n"
        let site = try Fixture(files)
        try site.build()
        #expect(site.read("Output/notes/index.html")?.contains("<h1>Notes</h1>") == true)
        try site.write("Content/notes/index.md", "---\ntitle: Also notes\n---\n")
        let errors = site.failedBuild().map(\.headline)
        #expect(errors.contains { $0.contains("notes/index.html") }, "\(errors)")
    }
}

/// Files beside the pages, and relative links to them and to other Markdown files (#15 items 1–2).
@Suite struct ColocatedFileTests {
    static func site() throws -> Fixture {
        var files = Fixture.basic
        files["Content/notes/map.png"] = "PNG"
        files["Content/notes/report files/table one.pdf"] = "PDF"
        files["Content/methods.md"] = "---\ntitle: Methods\n---\n\n## Sampling\n\nHow.\n"
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\n![Map](map.png) [the table](report%20files/table%20one.pdf) "
            + "[methods](../methods.md#sampling) [a page URL](../first/) [elsewhere](https://example.org/x.png)\n"
        return try Fixture(files)
    }

    @Test(arguments: ["/", "/sub/"])
    func filesArePublishedAndRelativeLinksResolve(base: String) throws {
        let site = try Self.site()
        try site.build(baseURL: base == "/" ? nil : "https://example.org" + base)
        let prefix = base == "/" ? "" : String(base.dropLast())
        #expect(site.read("Output/notes/map.png") == "PNG")
        #expect(site.read("Output/notes/report files/table one.pdf") == "PDF")
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains("<img src=\"\(prefix)/notes/map.png\" alt=\"Map\""))
        #expect(page.contains("href=\"\(prefix)/notes/report%20files/table%20one.pdf\""))
        #expect(page.contains("href=\"\(prefix)/methods/#sampling\""))
        #expect(page.contains("href=\"../first/\""))  // not a file: left for the browser, as written
        #expect(page.contains("href=\"https://example.org/x.png\""))
    }

    @Test func aMissingAnchorInALinkedFileIsALocatedWarning() throws {
        var files = try Self.site()
        try files.write("Content/notes/second.md", "---\ntitle: Second\n---\n\nSee [methods](../methods.md#nowhere).\n")
        let report = try files.build()
        #expect(report.warnings.map(\.headline).contains { $0.hasPrefix("Content/notes/second.md:5:5: warning: broken link") && $0.contains("nowhere") },
                "\(report.warnings.map(\.headline))")
    }

    /// A page with its own URL (`slug:`, `url:`) is linked at that URL — also when the
    /// linking page is kept by the build cache and only the linked one changed.
    @Test(arguments: [true, false])
    func linksFollowAPagesOwnURL(cache: Bool) throws {
        let site = try Self.site()
        let methods = { (line: String) in "---\ntitle: Methods\n\(line)\n---\n\n## Sampling\n\nHow.\n" }
        for (line, url) in [("slug: how", "/how/"), ("url: /reports/methods/", "/reports/methods/"), ("", "/methods/"), ("slug: how", "/how/")] {
            try site.write("Content/methods.md", methods(line))
            let report = try site.build(cache: cache)
            #expect(site.read("Output/notes/second/index.html")?.contains("href=\"\(url)#sampling\"") == true, "\(line): \(site.read("Output/notes/second/index.html") ?? "")")
            let warnings = report.warnings.filter { $0.location?.path != "Content/site.yaml" }  // (no feed for a relative base_url)
            #expect(warnings.isEmpty, "\(line): \(warnings.map(\.headline))")
        }
    }

    @Test func thePreviewFollowsAFileOrPageThatAppears() throws {
        let site = try Self.site()
        try site.write("Content/notes/second.md", "---\ntitle: Second\n---\n\n![Chart](chart.svg) [later](../later.md)\n")
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        #expect(session.buildAll().succeeded)
        try site.write("Content/notes/chart.svg", "<svg/>")
        try site.write("Content/later.md", "---\ntitle: Later\n---\n\nNew.\n")
        #expect(session.update(["Content/notes/chart.svg", "Content/later.md"]).succeeded)
        session.refreshSecondaryFiles()
        let page = site.read("Preview/notes/second/index.html") ?? ""
        #expect(page.contains("src=\"/notes/chart.svg\"") && page.contains("href=\"/later/\""), "\(page)")
    }

    @Test func thePreviewFollowsAPageThatMoves() throws {
        let site = try Self.site()
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        #expect(session.buildAll().succeeded)
        try site.write("Content/methods.md", "---\ntitle: Methods\nslug: how\n---\n\n## Sampling\n\nHow.\n")
        #expect(session.update(["Content/methods.md"]).succeeded)
        session.refreshSecondaryFiles()
        #expect(site.read("Preview/notes/second/index.html")?.contains("href=\"/how/#sampling\"") == true)
    }

    @Test func aLinkToAMissingOrHiddenPageIsALocatedWarning() throws {
        let site = try Self.site()
        try site.write("Content/notes/second.md", "---\ntitle: Second\n---\n\n[gone](gone.md) [hidden](draft.md)\n")
        let warnings = try site.build().warnings.map(\.headline)
        #expect(warnings.contains { $0.hasPrefix("Content/notes/second.md:5:1: warning: broken link") && $0.contains("gone.md") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("Content/notes/second.md:5:17: warning: broken link") && $0.contains("/notes/draft/") }, "\(warnings)")
        #expect(site.failedBuild(strict: true).filter { $0.location?.path == "Content/notes/second.md" }.count == 2)
    }

    @Test func aFileWhereTheSiteWritesIsAnError() throws {
        let site = try Self.site()
        try site.write("Content/notes/second/index.html", "<p>raw</p>")
        #expect(site.failedBuild().map(\.headline).contains { $0.hasPrefix("Content/notes/second/index.html:1:1: error: Content/notes/second/index.html would be published where the site writes") })
    }

    @Test func anAddedFileReachesALinkThroughTheCache() throws {
        let site = try Self.site()
        try site.write("Content/notes/second.md", "---\ntitle: Second\n---\n\n![Chart](chart.svg)\n")
        try site.build()
        #expect(site.read("Output/notes/second/index.html")?.contains("src=\"chart.svg\"") == true)
        try site.write("Content/notes/chart.svg", "<svg/>")
        try site.build()
        #expect(site.read("Output/notes/second/index.html")?.contains("src=\"/notes/chart.svg\"") == true)
    }
}

/// `aliases:` (#15 item 3).
@Suite struct AliasTests {
    @Test func eachAliasRedirectsToThePage() throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/sub/\n"
        files["Content/notes/second.md"] = "---\ntitle: Second & more\naliases: [/old/second/, /2024/second.html]\n---\n\nText.\n"
        let site = try Fixture(files)
        try site.build()
        let redirect = site.read("Output/old/second/index.html") ?? ""
        #expect(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=/sub/notes/second/\">"))
        #expect(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/sub/notes/second/\">"))
        #expect(redirect.contains("<a href=\"/sub/notes/second/\">Second &amp; more</a>"))
        #expect(site.read("Output/2024/second.html")?.contains("url=/sub/notes/second/") == true)
        #expect(site.read("Output/manifest.json")?.contains("old/second/index.html") == true)
        #expect(site.read("Output/sitemap.xml")?.contains("old/second") == false)
    }

    @Test(arguments: [
        ("aliases: [/notes/first/]", "Content/notes/second.md:3:10: error: the alias '/notes/first/' is where the site writes a page or file (notes/first/index.html): remove it or move that page"),
        ("aliases: [old/]", "Content/notes/second.md:3:10: error: an alias must start with '/' and end with '/' or '.html', e.g. /reports/2025/, got 'old/'"),
    ])
    func badAliasesAreLocatedErrors(line: String, expected: String) throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: Second\n\(line)\n---\n\nText.\n"
        let site = try Fixture(files)
        #expect(site.failedBuild().map(\.headline).contains(expected), "\(site.failedBuild().map(\.headline))")
    }
}

/// Headless fragments and ```` ```include ```` blocks (#15 item 6).
@Suite struct IncludeTests {
    static func site(_ extra: [String: String] = [:]) throws -> Fixture {
        var files = Fixture.basic
        files["Content/_common/note.md"] = "---\nheadless: true\n---\n\n> [!NOTE]\n> Figures are rounded.[^r]\n\n[^r]: To one decimal.\n\n```include\nfile: _common/inner.md\n```\n"
        files["Content/_common/inner.md"] = "## From the fragment\n\nInner text.\n"
        files["Content/_common/logo.png"] = "PNG"
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\nBefore.\n\n```include\nfile: /_common/note.md\n```\n\nAfter [up](#from-the-fragment).\n\n```markdown\n```include\nfile: not/read.md\n```\n````\n"
        for (k, v) in extra { files[k] = v }
        return try Fixture(files)
    }

    @Test func fragmentsAreIncludedInPlaceAndAreNotPages() throws {
        let site = try Self.site()
        try site.write("Content/site.yaml", "title: Test site\nbase_url: https://example.org/\n")
        let report = try site.build(strict: true)
        let page = site.read("Output/notes/second/index.html") ?? ""
        let before = page.range(of: "Before.")?.lowerBound, note = page.range(of: "Figures are rounded.")?.lowerBound,
            inner = page.range(of: "<h2 id=\"from-the-fragment\">")?.lowerBound, after = page.range(of: "After")?.lowerBound
        #expect(before != nil && note != nil && inner != nil && after != nil)
        if let before, let note, let inner, let after { #expect(before < note && note < inner && inner < after) }
        #expect(page.contains("To one decimal."))  // the fragment's footnote is the page's
        #expect(page.contains("[from-the-fragment]"))  // and its heading is in the page's contents
        #expect(page.contains("file: not/read.md"))  // an include inside a code block is text
        #expect(site.read("Output/_common/note/index.html") == nil && site.read("Output/_common/inner/index.html") == nil)
        #expect(site.read("Output/_common/logo.png") == "PNG")  // a fragment's other files are published
        #expect(report.pagesWritten == 3)
    }

    @Test(arguments: [
        ("file: _common/none.md", "Content/notes/second.md:8:7: error: no file to include at Content/notes/_common/none.md or Content/_common/none.md"),
        ("file: ../../outside.md", "Content/notes/second.md:8:7: error: the include '../../outside.md' leads outside Content/"),
        ("file: _common/logo.png", "Content/notes/second.md:8:7: error: an include names a Markdown file (.md), got '_common/logo.png'"),
        ("path: _common/note.md", "Content/notes/second.md:7:1: error: an include block holds one line, 'file: PATH' (e.g. file: _common/note.md)"),
        ("file: /_common/loop.md", "Content/_common/loop.md:2:7: error: this include makes a cycle: Content/notes/second.md → Content/_common/loop.md → Content/notes/second.md"),
    ])
    func badIncludesAreLocatedErrors(line: String, expected: String) throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\n---\n\nBefore.\n\n```include\n\(line)\n```\n",
                                  "Content/_common/loop.md": "```include\nfile: /notes/second.md\n```\n"])
        let errors = site.failedBuild().map(\.headline)
        #expect(errors.contains(expected), "\(errors)")
    }

    @Test func aFragmentThatLinksOutOfTheSiteIsRefused() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\n---\n\n```include\nfile: /_common/evil.md\n```\n"])
        try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent("Content/_common/evil.md").path, withDestinationPath: "/etc/hostname")
        // The walk of Content/ refuses it first; the include (the preview reads without a walk) would too.
        let errors = site.failedBuild().map(\.headline)
        #expect(errors.contains { $0.hasSuffix("error: Content/_common/evil.md is a link that leads outside the site folder; refusing to read through it") }, "\(errors)")
        #expect(!errors.contains { $0.contains("hostname") })
    }

    @Test func problemsInAFragmentAreReportedThereWithTheInclude() throws {
        let site = try Self.site(["Content/_common/inner.md": "Text.\n\n```chart\ndata: nowhere\ntype: bar\n```\n"])
        let errors = site.failedBuild()
        let error = try #require(errors.first { $0.message.contains("unknown dataset 'nowhere'") }, "\(errors.map(\.description))")
        #expect(error.location == SourceLocation(path: "Content/_common/inner.md", line: 4, column: 7))
        #expect(error.sourceLine == "data: nowhere")
        #expect(error.notes.contains("included from Content/_common/note.md:10:1"))
        #expect(error.notes.contains("included from Content/notes/second.md:7:1"))
    }

    @Test func anIncludeInsideAListIsReported() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\n---\n\n- item\n\n  ```include\n  file: _common/inner.md\n  ```\n"])
        #expect(site.failedBuild().map(\.headline).contains("Content/notes/second.md:7:3: error: an include block must start at the beginning of a line, outside lists and block quotes"))
    }

    /// The page's digest covers its fragments: a fragment edit reaches it through the cache.
    @Test func aFragmentEditReachesThePageThroughTheCache() throws {
        let site = try Self.site()
        try site.build()
        try site.write("Content/_common/inner.md", "## From the fragment\n\nChanged text.\n")
        try site.build()
        #expect(site.read("Output/notes/second/index.html")?.contains("Changed text.") == true)
    }

    /// The preview renders the including pages again when a fragment changes, and a page
    /// that failed for want of a fragment once it comes.
    @Test func thePreviewFollowsFragments() throws {
        let site = try Self.site()
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        #expect(session.buildAll().succeeded)
        try site.write("Content/_common/inner.md", "## From the fragment\n\nPreviewed text.\n")
        #expect(session.update(["Content/_common/inner.md"], viewing: ["/notes/second/"]).succeeded)
        #expect(site.read("Preview/notes/second/index.html")?.contains("Previewed text.") == true)
        try site.write("Content/notes/first.md", "---\ntitle: First\n---\n\n```include\nfile: /_common/later.md\n```\n")
        #expect(!session.update(["Content/notes/first.md"]).succeeded)
        try site.write("Content/_common/later.md", "Arrived later.\n")
        #expect(session.update(["Content/_common/later.md"], viewing: ["/notes/first/"]).succeeded)
        #expect(site.read("Preview/notes/first/index.html")?.contains("Arrived later.") == true)
    }
}
