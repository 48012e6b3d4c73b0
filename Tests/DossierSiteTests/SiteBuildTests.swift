import DossierCore
import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// A small site declared inline and written to a fresh temporary folder. The folders (with
/// the outputs and build caches inside them) are removed when the test process exits — not
/// when a fixture goes, as ARC may release one after its last use while a test still works
/// in its folder.
struct Fixture: Sendable {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(root)
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).flatMap { String(data: $0, encoding: .utf8) }
    }

    @discardableResult
    func build(threads: Int = 2, strict: Bool = false, baseURL: String? = nil, output: URL? = nil, cache: Bool = true) throws(DiagnosticError) -> BuildReport {
        var options = BuildOptions(site: root, output: output, strict: strict, baseURL: baseURL, threads: threads)
        options.cache = cache
        return try SiteBuilder.build(options)
    }

    /// The errors of a build that must fail (none, and an issue recorded, if it succeeds).
    func failedBuild(strict: Bool = false) -> [Diagnostic] {
        do {
            try build(strict: strict)
            Issue.record("the build should fail")
            return []
        } catch {
            return error.diagnostics
        }
    }

    /// Every file of the output folder with its bytes.
    func tree(_ folder: String = "Output") -> [String: Data] {
        let base = root.appendingPathComponent(folder)
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return out }
        for case let url as URL in e {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
            if !isDir.boolValue { out[String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1))] = FileManager.default.contents(atPath: url.path) }
        }
        return out
    }

    static let basic: [String: String] = [
        "Content/site.yaml": "title: Test site\nbase_url: /\n",
        "Content/index.md": "---\ntitle: Home <b>\n---\n\n## Start\n\nWelcome.\n",
        "Content/notes/first.md": "---\ntitle: First\ndate: 2025-01-02\ntags:\n  - a\n  - b\n---\n\nBody with {{ not a template }}.\n\n```table\ndata: scores\n```\n",
        "Content/notes/second.md": "---\ntitle: Second\ndate: 2025-03-04\ntags: [b]\n---\n\nText.\n",
        "Content/notes/draft.md": "---\ntitle: Hidden\ndraft: true\n---\n\nSecret.\n",
        "Content/data/scores.csv": "Name,Score\nA,1.5\nB,\n",
        "Content/data/scores.yaml": "title: Scores\nsource: { name: Tests }\n",
        "Templates/base.html": "<title>{{ page.title }}</title>{% block main %}{% endblock %}",
        "Templates/article.html": "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content }}<p>{{ page.tags | join: \",\" }}</p>{% for e in page.toc %}[{{ e.id }}]{% endfor %}{% endblock %}",
        "Templates/home.html": "{% extends \"base.html\" %}{% block main %}{% for p in site.pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}{% endblock %}",
        "Templates/assets/style.css": "body{}",
    ]
}

@Suite struct SiteBuildTests {
    @Test func buildsPagesAssetsAndData() throws {
        let site = try Fixture(Fixture.basic)
        let report = try site.build()
        #expect(report.pagesWritten == 3)
        let home = try #require(site.read("Output/index.html"))
        #expect(home.contains("<title>Home &lt;b&gt;</title>"))
        #expect(home.contains("<a href=\"/notes/second/\">Second</a><a href=\"/notes/first/\">First</a>"))  // newest first
        let first = try #require(site.read("Output/notes/first/index.html"))
        #expect(first.contains("{{ not a template }}"))
        #expect(first.contains("<p>a,b</p>"))
        #expect(first.contains("<caption id=\"dsr-scores-t1-cap\">"))
        #expect(first.contains("not stated"))
        #expect(site.read("Output/notes/draft/index.html") == nil)
        #expect(site.read("Output/assets/style.css") == "body{}")
        #expect(site.read("Output/data/scores.csv") == "Name,Score\r\nA,1.5\r\nB,\r\n")
        #expect(site.read("Output/.dossier-output") != nil)
    }

    /// With the build cache off, so that the 4-thread build renders every page itself
    /// rather than keeping the 1-thread build's; into separate folders.
    @Test func twoBuildsAreByteIdenticalWhateverTheThreads() throws {
        var files = Fixture.basic
        for i in 0..<40 { files["Content/more/p\(i).md"] = "---\ntitle: Page \(i)\ndate: 2025-02-\(10 + i % 18)\ntags: [t\(i % 3)]\n---\n\n## Part \(i)\n\nText [first](/notes/first/) \(i).\n" }
        let site = try Fixture(files)
        let report = try site.build(threads: 1, output: site.root.appendingPathComponent("One"), cache: false)
        let again = try site.build(threads: 4, output: site.root.appendingPathComponent("Four"), cache: false)
        #expect(report.pagesReused == 0 && again.pagesReused == 0)
        #expect(site.tree("Four") == site.tree("One"))
        #expect(site.tree("One").count > 40)
    }

    @Test func reportsEveryErrorWithItsLineAndKeepsTheOutput() throws {
        let site = try Fixture(Fixture.basic)
        try site.build()
        let before = site.tree()
        try site.write("Content/notes/first.md", "---\ntitle: First\ndate: 2025-13-45\n---\n")
        try site.write("Content/notes/second.md", "---\ntitle: [unclosed\n---\n")
        do {
            try site.build()
            Issue.record("the build should fail")
        } catch {
            let headlines = error.diagnostics.map(\.headline)
            #expect(headlines.contains { $0.hasPrefix("Content/notes/first.md:3:7: error: 'date' is not a date") })
            #expect(headlines.contains { $0.hasPrefix("Content/notes/second.md:") })
        }
        #expect(site.tree() == before)
    }

    @Test func refusesAForeignOutputFolder() throws {
        let site = try Fixture(Fixture.basic.merging(["Output/precious.txt": "keep me"]) { a, _ in a })
        #expect(throws: DiagnosticError.self) { try site.build() }
        #expect(site.read("Output/precious.txt") == "keep me")
    }

    @Test func unknownDatasetIsReportedAtTheMarkdownLine() throws {
        var files = Fixture.basic
        files["Content/notes/first.md"] = "---\ntitle: First\n---\n\nText\n\n```chart\ndata: scroes\ntype: heatmap\n```\n"
        let site = try Fixture(files)
        do {
            try site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.first?.headline == "Content/notes/first.md:8:7: error: unknown dataset 'scroes' (did you mean 'scores'?); datasets: scores")
        }
    }

    @Test(arguments: [
        ("```chart\ndata: scores\ntype: pie\n```", "Content/notes/first.md:9:7: error: unknown chart type 'pie'"),
        ("```chart\ndata: scores\ntype: bar\ncolour: red\n```", "Content/notes/first.md:10:1: error: unknown option 'colour'"),
        ("```table\ndata: scores\nrows: [Z]\n```", "Content/notes/first.md:7:1: error: dataset 'scores' has no row 'Z'"),
    ])
    func directiveErrorsPointIntoTheArticle(block: String, expected: String) throws {
        var files = Fixture.basic
        files["Content/notes/first.md"] = "---\ntitle: First\n---\n\nText\n\n" + block + "\n"
        let site = try Fixture(files)
        do {
            try site.build()
            Issue.record("the build should fail")
        } catch {
            let headline = error.diagnostics.first?.headline ?? ""
            #expect(headline.hasPrefix(expected), "\(headline)")
        }
    }

    @Test func templatesCanDrawChartsFromData() throws {
        var files = Fixture.basic
        files["Templates/home.html"] = "{{ data.scores.title }}: {{ data.scores.rows | length }} rows {{ chart({data: \"scores\", type: \"bar\", number: 4}) }}"
        let site = try Fixture(files)
        try site.build()
        let home = try #require(site.read("Output/index.html"))
        #expect(home.hasPrefix("Scores: 2 rows <figure class=\"dsr-figure\" id=\"dsr-scores-t4\">"))
        #expect(home.contains("Figure 4."))
    }

    @Test func subPathBaseURL() throws {
        let site = try Fixture(Fixture.basic)
        try site.build(baseURL: "https://example.org/briefing/")
        let home = try #require(site.read("Output/index.html"))
        #expect(home.contains("href=\"/briefing/notes/first/\""))
    }

    @Test func strictModeFailsOnUnknownVariables() throws {
        var files = Fixture.basic
        files["Templates/base.html"] = "{{ page.titel }}{% block main %}{% endblock %}"
        let site = try Fixture(files)
        try site.build()
        do {
            try site.build(strict: true)
            Issue.record("strict build should fail")
        } catch {
            #expect(error.diagnostics.first?.headline == "Templates/base.html:1:8: error: unknown variable 'page.titel'")
        }
    }
}

@Suite struct FrontMatterTests {
    static let valid: [(String, String, [String], [String])] = [
        ("block lists", "---\ntitle: T\ntags:\n  - a\n  - b\nauthors:\n  - X\n---\nbody", ["a", "b"], ["X"]),
        ("flow lists", "---\ntitle: T\ntags: [a, b]\nauthors: [X]\n---\nbody", ["a", "b"], ["X"]),
        ("single string", "---\ntitle: T\ntags: a\nauthors: X\n---\nbody", ["a"], ["X"]),
    ]

    @Test(arguments: valid)
    func lists(name: String, text: String, tags: [String], authors: [String]) throws {
        let m = try FrontMatter.parse(text, path: "a.md")
        #expect(m.tags == tags)
        #expect(m.authors == authors)
        #expect(m.body == "body")
    }

    static let invalid: [(String, String)] = [
        ("no front matter and no heading\n", "a.md:1:1: error: no title: give the page a 'title' in its front matter, or start it with a '# Title' heading"),
        ("---\ntitle: T\nbody\n", "a.md:1:1: error: front matter opened here is never closed"),
        ("---\ndate: 2025-01-01\n---\n", "a.md:1:1: error: no title"),
        ("+++\ntitle = T\n+++\n", "a.md:2:9: error: 'T' is not a TOML value: text needs quotes"),
        ("+++\ntitle = \"T\"\ntitle = \"U\"\n+++\n", "a.md:3:1: error: 'title' is given twice"),
        ("+++\ntitle = \"T\"\n[[menu]]\n+++\n", "a.md:3:1: error: arrays of tables ([[…]]) are not read in front matter"),
        ("+++\ntitle = \"T\n+++\n", "a.md:2:9: error: this string is never closed on its line"),
        ("+++\ntitle = \"T\"\n", "a.md:1:1: error: front matter opened here with '+++' is never closed"),
        ("+++\ntitle = \"T\"\ndate = \"soon\"\n+++\n", "a.md:3:8: error: 'date' is not a date: 'soon'"),
        ("{\n  \"title\": \"T\",\n  \"date\": \"soon\"\n}\n", "a.md:3:11: error: 'date' is not a date: 'soon'"),
        ("{ \"title\": \"T\"\n", "a.md:1:1: error: JSON front matter opened here is never closed with '}'"),
        ("---\ntitle: T\ndate: yesterday\n---\n", "a.md:3:7: error: 'date' is not a date: 'yesterday'"),
        ("---\ntitle: T\ndraft: maybe\n---\n", "a.md:3:8: error: 'draft' must be true or false, got a string"),
        ("---\ntitle: T\ntags: {a: 1}\n---\n", "a.md:3:7: error: 'tags' must be a list of text"),
        ("---\ntitle: T\nsummary: [x\n---\n", "a.md:4:1: error: invalid YAML"),
        ("---\ntitle: T\ntitle: U\n---\n", "a.md:3:1: error: duplicate key 'title'"),
    ]

    /// (file, title, body): JSON front matter; none, the title from the first `# ` heading
    /// (which leaves the body, its line blank); a `# ` inside code is not a title.
    @Test(arguments: [
        ("{\n  \"title\": \"From JSON\",\n  \"tags\": [\"a\"]\n}\nbody", "From JSON", "body"),
        ("+++\ntitle = \"From TOML\" # a comment\ndate = 2025-06-01\ntags = [\"a\",\n  'b',]\ndraft = false\n[params]\nkicker = \"\"\"x\"\"\"\n+++\nbody", "From TOML", "body"),
        ("# The *Title* ##\n\nbody", "The Title", "\n\nbody"),
        ("# A __strong__ and_snake_case title\nbody", "A strong and_snake_case title", "\nbody"),
        ("```\n# not this\n```\n# This one\nbody", "This one", "```\n# not this\n```\n\nbody"),
        ("---\ndate: 2025-01-01\n---\n# From the heading\nbody", "From the heading", "\nbody"),
    ])
    func otherFrontMatter(text: String, title: String, body: String) throws {
        let m = try FrontMatter.parse(text, path: "a.md")
        #expect(m.title == title)
        #expect(m.body == body)
    }

    @Test(arguments: invalid)
    func errors(text: String, expected: String) {
        do {
            _ = try FrontMatter.parse(text, path: "a.md")
            Issue.record("expected an error for \(text)")
        } catch {
            let headline = error.diagnostics.first?.headline ?? ""
            #expect(headline.hasPrefix(expected), "\(headline)")
            #expect(error.diagnostics.first?.sourceLine != nil)
        }
    }
}

