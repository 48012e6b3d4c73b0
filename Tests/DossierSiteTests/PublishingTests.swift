import DossierCore
@testable import DossierSite
import Foundation
import Testing

/// Site features for publishing (issue: publishing and scheduled CI rebuilds).
@Suite struct PublishingTests {
    static var site: [String: String] {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\nauthor: Team\n"
        files["Templates/tag.html"] = "{% extends \"base.html\" %}{% block main %}{{ page.tag }}:{% for p in page.pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}{% endblock %}"
        files["Templates/404.html"] = "{% extends \"base.html\" %}{% block main %}<a href=\"{{ \"/\" | relative_url }}\">home</a>{% endblock %}"
        files["Templates/print.html"] = "{% extends \"base.html\" %}{% block main %}{% for s in page.pages %}<section id=\"{{ s.anchor }}\">{{ s.content }}</section>{% endfor %}{% endblock %}"
        return files
    }

    @Test func feedSitemapRobotsTagsAnd404() throws {
        let site = try Fixture(Self.site)
        try site.build()
        let feed = try #require(site.read("Output/feed.xml"))
        #expect(feed.contains("<id>https://example.org/notes/second/</id>"))
        #expect(feed.range(of: "notes/second")!.lowerBound < feed.range(of: "notes/first")!.lowerBound)  // newest first
        #expect(feed.contains("<updated>2025-03-04T00:00:00Z</updated>"))
        #expect(!feed.contains("Hidden"))
        let sitemap = try #require(site.read("Output/sitemap.xml"))
        #expect(sitemap.contains("<loc>https://example.org/notes/first/</loc><lastmod>2025-01-02</lastmod>"))
        #expect(!sitemap.contains("404"))
        // The build's bookkeeping is kept out of search results.
        #expect(site.read("Output/robots.txt") == "User-agent: *\nDisallow: /manifest.json\nDisallow: /.dossier-output\nAllow: /\nSitemap: https://example.org/sitemap.xml\n")
        #expect(Feeds.robots(root: "https://e.org/sub", basePath: "/sub").contains("Disallow: /sub/manifest.json\n"))
        #expect(site.read("Output/tags/b/index.html")?.contains("b:<a href=\"/notes/second/\">Second</a><a href=\"/notes/first/\">First</a>") == true)
        #expect(site.read("Output/404.html")?.contains("<a href=\"/\">home</a>") == true)
    }

    @Test func printViewJoinsPagesWithoutDuplicateIDs() throws {
        var files = Self.site
        files["Content/notes/second.md"] = "---\ntitle: Second\ndate: 2025-03-04\n---\n\n## Start\n\nSee [above](#start).\n"
        let site = try Fixture(files)
        try site.build()
        let print = try #require(site.read("Output/print/index.html"))
        #expect(print.contains("<h2 id=\"s1-start\">Start</h2>"))
        #expect(print.contains("id=\"s3-start\""))
        #expect(print.contains("href=\"#s3-start\""))
    }

    @Test func subPathBaseURLKeepsEveryLinkInside() throws {
        var files = Self.site
        files["Content/notes/third.md"] = "---\ntitle: Third\n---\n\nRead [the first note](/notes/first/) and [data](/data/scores.csv).\n"
        let site = try Fixture(files)
        let result = SiteChecker.check(BuildOptions(site: site.root, baseURL: "https://example.org/briefing/"))
        #expect(result.problems.isEmpty, "\(result.problems.map(\.description))")
        try site.build(baseURL: "https://example.org/briefing/")
        let third = try #require(site.read("Output/notes/third/index.html"))
        #expect(third.contains("href=\"/briefing/notes/first/\""))
        #expect(third.contains("href=\"/briefing/data/scores.csv\""))
        #expect(site.read("Output/feed.xml")?.contains("https://example.org/briefing/notes/first/") == true)
    }

    /// Writes that fail from the `after`-th on, as a full disk would.
    final class FailingFiles: FileWriting, @unchecked Sendable {
        let after: Int
        private var count = 0
        private let lock = NSLock()
        init(after: Int) { self.after = after }

        func write(_ buffer: UnsafeRawBufferPointer, to path: String) throws {
            lock.lock()
            count += 1
            let n = count
            lock.unlock()
            if n > after { throw POSIXError(.ENOSPC) }
            try POSIXFiles().write(buffer, to: path)
        }
    }

    @Test(arguments: [0, 1, 3, 6])
    func failedWritesLeaveThePreviousOutputByteForByte(after: Int) throws {
        let site = try Fixture(Self.site)
        try site.build()
        let before = site.tree()
        try site.write("Content/notes/first.md", "---\ntitle: Changed\n---\n\nNew text.\n")
        try site.write("Templates/assets/style.css", "body { color: red }\n")  // a file that must be rewritten late in the build
        var failure: DiagnosticError?
        do throws(DiagnosticError) { _ = try SiteBuilder.build(BuildOptions(site: site.root), files: FailingFiles(after: after)) } catch { failure = error }
        #expect(failure?.diagnostics.contains { $0.message.contains("No space left") } == true, "\(failure?.diagnostics ?? [])")
        #expect(site.tree() == before)
        // The next build recovers from the half-written staging folder.
        try site.build()
        #expect(site.read("Output/notes/first/index.html")?.contains("New text.") == true)
        let clean = try Fixture(PublishingTests.site)
        try clean.write("Content/notes/first.md", "---\ntitle: Changed\n---\n\nNew text.\n")
        try clean.write("Templates/assets/style.css", "body { color: red }\n")
        try clean.build()
        #expect(site.tree() == clean.tree())
    }

    @Test func staleFilesDisappear() throws {
        let site = try Fixture(Self.site)
        try site.build()
        #expect(site.read("Output/notes/second/index.html") != nil)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/notes/second.md"))
        try site.build()
        #expect(site.read("Output/notes/second/index.html") == nil)
    }

    @Test func draftsAndFuturePagesAreOptIn() throws {
        var files = Self.site
        files["Content/notes/later.md"] = "---\ntitle: Later\ndate: 2030-01-01\n---\n\nSoon.\n"
        let site = try Fixture(files)
        let now = DateText.parse("2026-01-01")!
        #expect(try SiteBuilder.build(BuildOptions(site: site.root, now: now)).pagesHeldBack == 2)  // said in the summary
        #expect(site.read("Output/notes/later/index.html") == nil)
        #expect(site.read("Output/notes/draft/index.html") == nil)
        #expect(try SiteBuilder.build(BuildOptions(site: site.root, drafts: true, future: true, now: now)).pagesHeldBack == 0)
        #expect(site.read("Output/notes/later/index.html") != nil)
        #expect(site.read("Output/notes/draft/index.html") != nil)
    }

    @Test func manifestListsEveryFileWithItsDigest() throws {
        let site = try Fixture(Self.site)
        try site.build()
        let manifest = try #require(Manifest.read(from: site.root.appendingPathComponent("Output")))
        let tree = site.tree().filter { $0.key != "manifest.json" && $0.key != ".dossier-output" }
        #expect(Set(manifest.files.keys) == Set(tree.keys))
        for (path, bytes) in tree { #expect(manifest.files[path] == SHA256.hex(bytes), "\(path)") }
    }

    /// The quick manifest reader agrees with JSONSerialization on what `json` writes, and
    /// declines (so JSONSerialization decides) whatever needs an escape.
    @Test(arguments: [
        ["index.html": "ab", "posts/한국/index.html": "cd", "a b/c.css": "ef"],
        ["x\"quoted\".html": "01", "back\\slash.txt": "02", "plain.html": "03"],
        [:],
    ])
    func manifestReadsBackWhatItWrote(files: [String: String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = Manifest(files: files).json
        try json.write(to: folder.appendingPathComponent(Manifest.fileName), atomically: true, encoding: .utf8)
        #expect(Manifest.read(from: folder)?.files == files)
        let quick = Manifest.quickParse(Array(json.utf8))
        let escapes = files.keys.contains { $0.contains("\"") || $0.contains("\\") }
        #expect(escapes ? quick == nil : quick == files)
    }

    @Test func changesReportPagesAndCells() throws {
        let site = try Fixture(Self.site)
        try site.build()
        try site.write("Content/notes/first.md", "---\ntitle: First, revised\ndate: 2025-01-02\n---\n\nBody.\n")
        try site.write("Content/notes/third.md", "---\ntitle: Third\ndate: 2025-05-05\n---\n\nNew.\n")
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/notes/second.md"))
        try site.write("Content/data/scores.csv", "Name,Score\nA,2\nB,3\n")
        let report = try #require(try site.build().changes)
        #expect(report.addedPages.contains("/notes/third/"))
        #expect(report.changedPages.contains("/notes/first/"))
        #expect(report.removedPages.contains("/notes/second/"))
        #expect(report.cells == [
            .init(dataset: "scores", row: "A", column: "Score", old: "1.5", new: "2"),
            .init(dataset: "scores", row: "B", column: "Score", old: nil, new: "3"),
        ])
        #expect(report.text.contains("data scores: 'B', 'Score': not stated → '3'"))
    }

    static let checkCases: [(String, String, String)] = [
        ("[x](/nowhere/)", "Content/notes/third.md:5:1", "broken link: nothing at '/nowhere/'"),
        ("[x](#missing)", "Content/notes/third.md:5:1", "broken link: no element with id 'missing' on this page"),
        ("[x](/notes/first/#nope)", "Content/notes/third.md:5:1", "broken link: no element with id 'nope' on '/notes/first/'"),
        ("[x](../first/)", "", ""),
        ("![](/assets/style.css)", "Content/notes/third.md:5:1", "image '/assets/style.css' has no alt text"),
        ("![A chart](/assets/missing.png)", "Content/notes/third.md:5:1", "broken link: nothing at '/assets/missing.png'"),
        ("## A\n\n#### Skipped", "Content/notes/third.md:7:1", "heading level jumps from h2 to h4 ('Skipped')"),
    ]

    @Test(arguments: checkCases)
    func checkFindsProblems(markdown: String, location: String, message: String) throws {
        var files = Self.site
        files["Content/notes/third.md"] = "---\ntitle: Third\n---\n\n" + markdown + "\n"
        let site = try Fixture(files)
        let result = SiteChecker.check(BuildOptions(site: site.root))
        if message.isEmpty {
            #expect(result.problems.isEmpty, "\(result.problems.map(\.description))")  // a link that resolves
        } else {
            let found = result.problems.first { $0.message.hasPrefix(message) }
            #expect(found?.location?.description == location, "\(result.problems.map(\.description))")
        }
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("Output").path))
    }

    @Test func brokenTemplateLinksPointAtTheTemplate() throws {
        var files = Self.site
        files["Templates/base.html"] = "<title>{{ page.title }}</title>\n<a href=\"/missing/\">x</a>{% block main %}{% endblock %}"
        let site = try Fixture(files)
        let problem = SiteChecker.check(BuildOptions(site: site.root)).problems.first { $0.message.contains("/missing/") }
        #expect(problem?.location?.description == "Templates/base.html:2:10")
    }

    @Test func unsafeSlugsAndLinksOutOfTheSiteAreRefused() throws {
        var files = Self.site
        files["Content/notes/escape.md"] = "---\ntitle: Escape\nslug: ../../etc\n---\n\nx\n"
        let site = try Fixture(files)
        do {
            try site.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.first?.headline.hasPrefix("Content/notes/escape.md:3:7: error: 'slug' must be one URL segment") == true)
        }
        let outside = try Fixture(["secret/a.md": "---\ntitle: Secret\n---\n"])
        let linked = try Fixture(Self.site)
        try FileManager.default.createSymbolicLink(at: linked.root.appendingPathComponent("Content/linked"),
                                                   withDestinationURL: outside.root.appendingPathComponent("secret"))
        do {
            try linked.build()
            Issue.record("the build should fail")
        } catch {
            #expect(error.diagnostics.contains { $0.message.contains("leads outside the site folder") })
        }
    }

    @Test func slugsRename() throws {
        var files = Self.site
        files["Content/notes/first.md"] = "---\ntitle: First\nslug: premier\n---\n\nx\n"
        let site = try Fixture(files)
        try site.build()
        #expect(site.read("Output/notes/premier/index.html") != nil)
    }
}
