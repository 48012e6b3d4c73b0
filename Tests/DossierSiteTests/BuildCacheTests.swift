import DossierCore
import DossierMarkdown
@testable import DossierSite
import Foundation
import Testing

/// `dossier build` into the same output reuses what the previous build learnt: every
/// rebuild must leave exactly the files a clean build writes, while re-rendering only
/// what a change affects.
@Suite struct BuildCacheTests {
    /// The tree a build with no cache writes into a new folder.
    func cleanTree(_ site: Fixture) throws -> [String: Data] {
        let folder = "clean-\(UUID().uuidString)"
        var options = BuildOptions(site: site.root, output: site.root.appendingPathComponent(folder))
        options.cache = false
        _ = try SiteBuilder.build(options)
        return site.tree(folder)
    }

    func expectSame(_ site: Fixture, _ step: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let cached = site.tree(), clean = try cleanTree(site)
        let differing = Set(cached.keys).symmetricDifference(clean.keys).union(clean.keys.filter { cached[$0] != clean[$0] }).sorted()
        #expect(differing.isEmpty, "\(step): differs in \(differing)", sourceLocation: sourceLocation)
    }

    /// Each step, then a rebuild, must equal a clean build; `reused` is how many articles a
    /// rebuild must take from the cache (nil: not checked). The basic fixture has no feed
    /// and no print view, so its pages' Markdown can be cached; home.html lists pages,
    /// article.html does not.
    @Test func rebuildsEqualCleanBuilds() throws {
        let site = try Fixture(Fixture.basic)
        try site.build()
        try expectSame(site, "first build")
        let steps: [(String, Int?, () throws -> Void)] = [
            ("nothing changed", 3, {}),
            ("body edit, new word count", 1, { try site.write("Content/notes/second.md", "---\ntitle: Second\ndate: 2025-03-04\ntags: [b]\n---\n\nText, longer now.\n") }),
            ("same words, other letters", 2, { try site.write("Content/notes/second.md", "---\ntitle: Second\ndate: 2025-03-04\ntags: [b]\n---\n\nText, longer tomorrow.\n") }),
            ("title edit", 1, { try site.write("Content/notes/second.md", "---\ntitle: Second, renamed\ndate: 2025-03-04\ntags: [b]\n---\n\nText, longer tomorrow.\n") }),
            ("new page", 2, { try site.write("Content/notes/third.md", "---\ntitle: Third\ndate: 2025-06-01\n---\n\nThird.\n") }),
            ("slug", nil, { try site.write("Content/notes/third.md", "---\ntitle: Third\ndate: 2025-06-01\nslug: drei\n---\n\nThird.\n") }),
            ("draft published", nil, { try site.write("Content/notes/draft.md", "---\ntitle: Hidden no more\ndraft: false\n---\n\nSecret.\n") }),
            // Pages: index (home.html, lists pages), first (article.html, a table of data),
            // second, drei and draft (article.html).
            ("article template", 1, { try site.write("Templates/article.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title | upper }}</h1>{{ page.content }}{% endblock %}") }),
            ("home template", 4, { try site.write("Templates/home.html", "{% extends \"base.html\" %}{% block main %}<ul>{% for p in site.pages %}<li>{{ p.title }}</li>{% endfor %}</ul>{% endblock %}") }),
            ("the template both extend", 0, { try site.write("Templates/base.html", "<title>{{ page.title }}!</title>{% block main %}{% endblock %}") }),
            ("an unused template", 5, { try site.write("Templates/unused.html", "{{ site.pages }}") }),
            ("layout now lists pages", 1, { try site.write("Templates/article.html", "{% extends \"base.html\" %}{% block main %}{{ page.content }}{{ page.next.title }}{% endblock %}") }),
            ("neighbour renamed", 0, { try site.write("Content/notes/first.md", "---\ntitle: First, renamed\ndate: 2025-01-02\n---\n\nBody.\n\n```table\ndata: scores\n```\n") }),
            ("data, read by one page's Markdown", 4, { try site.write("Content/data/scores.csv", "Name,Score\nA,9\nB,\n") }),
            ("home template now reads data", 4, { try site.write("Templates/home.html", "{% extends \"base.html\" %}{% block main %}{{ data.scores.title }}{% endblock %}") }),
            ("data, read by the home layout and one page", 3, { try site.write("Content/data/scores.csv", "Name,Score\nA,10\nB,\n") }),
            ("config", 0, { try site.write("Content/site.yaml", "title: Renamed site\nbase_url: /\n") }),
            ("deleted page", nil, { try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/notes/third.md")) }),
            ("nothing changed again", 4, {}),
        ]
        for (name, reused, change) in steps {
            try change()
            let report = try site.build()
            if let reused { #expect(report.pagesReused == reused, "\(name)") }
            try expectSame(site, name)
        }
    }

    /// With a feed and a print view, pages' HTML is needed whole, so their Markdown is
    /// rendered again; their templates still need not be.
    @Test func feedsAndPrintViewStayWhole() throws {
        let site = try Fixture(PublishingTests.site)
        try site.build()
        for (step, reused) in [("nothing", 3), ("edit", 1)] {
            if step == "edit" { try site.write("Content/notes/second.md", "---\ntitle: Second\ndate: 2025-03-04\ntags: [b]\n---\n\nChanged words here.\n") }
            #expect(try site.build().pagesReused == reused, "\(step)")
            try expectSame(site, step)
        }
    }

    @Test func aDamagedOrForeignCacheIsIgnored() throws {
        let site = try Fixture(Fixture.basic)
        try site.build()
        let cache = BuildCache.location(for: site.root.appendingPathComponent("Output"))
        for damage in ["truncated", "garbage", "output edited"] {
            switch damage {
            case "truncated":
                let bytes = try Data(contentsOf: cache)
                try bytes.prefix(bytes.count / 2).write(to: cache)
            case "garbage": try Data("not a cache".utf8).write(to: cache)
            default:
                // A page edited by hand in the output: the rebuild puts back what it generates.
                try site.write("Output/notes/first/index.html", "edited by hand")
            }
            let report = try site.build()
            if damage != "output edited" { #expect(report.pagesReused == 0, "\(damage)") }
            try expectSame(site, damage)
            try site.build()
        }
    }

    /// A page whose rendering warned is rendered (and warns) again on every build.
    @Test func warningsAreNotCachedAway() throws {
        var files = Fixture.basic
        files["Templates/article.html"] = "{% extends \"base.html\" %}{% block main %}{{ page.nope }}{{ page.content }}{% endblock %}"
        let site = try Fixture(files)
        for _ in 0..<2 {
            let report = try site.build()
            #expect(report.warnings.contains { $0.message.contains("unknown variable 'page.nope'") })
        }
        #expect(try site.build().pagesReused == 1)  // only the home page
    }

    @Test func noCacheRendersEverything() throws {
        let site = try Fixture(Fixture.basic)
        try site.build()
        var options = BuildOptions(site: site.root)
        options.cache = false
        #expect(try SiteBuilder.build(options).pagesReused == 0)
        #expect(try site.build().pagesReused == 0)  // the cache was not kept by a build without it
        #expect(try site.build().pagesReused == 3)
    }

    @Test func encodingRoundTrips() throws {
        let entry = BuildCache.Entry(
            sourcePath: "Content/a.md", sourceDigest: "abc", outputPath: "한국/index.html", outputDigest: "def", firstParagraph: "Première — « phrase »", wordCount: 123_456,
            drawsFromData: true, layoutDigest: "layout", dataDigest: "data", headings: [Heading(level: 2, id: "x-y", text: "X & Y", line: 7)],
            links: [LinkReference(url: "/a?b=c#d", isImage: true, text: "alt", location: SourceLocation(path: "Content/a.md", line: 3, column: 200))],
            scan: PageScan(hrefs: ["/", "https://example.org/"], srcs: [], ids: ["x-y", "z"], imagesWithoutAlt: ["<img src=x>"]))
        var entries: [String: BuildCache.Entry] = ["Content/a.md": entry]
        for i in 0..<50 { entries["Content/p\(i).md"] = BuildCache.Entry(sourcePath: "Content/p\(i).md", sourceDigest: "\(i)", outputPath: "p\(i)/index.html", outputDigest: "", firstParagraph: "",
                                                                           wordCount: -i, drawsFromData: false, layoutDigest: "", dataDigest: "",
                                                                           headings: [], links: [],
                                                                           scan: PageScan(hrefs: [], srcs: [], ids: [], imagesWithoutAlt: [])) }
        let cache = BuildCache(key: "k", listing: "l", manifest: "m", entries: entries)
        let bytes = cache.encoded(chunks: 3)
        let decoded = try #require(BuildCache(decoding: bytes))
        #expect(decoded.key == "k" && decoded.listing == "l" && decoded.manifest == "m")
        #expect(decoded.entries == entries)
        for cut in [0, 10, bytes.count / 2, bytes.count - 1] { #expect(BuildCache(decoding: Array(bytes.prefix(cut))) == nil, "cut at \(cut)") }
        // Any damaged byte: the checksum refuses the file.
        var generator = SplitMix64(seed: 3)
        for _ in 0..<200 {
            var damaged = bytes
            let at = Int.random(in: 0..<damaged.count, using: &generator)
            damaged[at] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(BuildCache(decoding: damaged) == nil, "byte \(at)")
        }
    }
}
