import DossierCore
@testable import DossierSite
import Foundation
import Testing

/// The incremental rebuilds behind `dossier serve`: each must leave exactly the files a
/// clean build would write, while re-rendering only what the change affects.
@Suite struct SiteSessionTests {
    /// The tree a clean build writes, without its manifest and marker (the session writes neither).
    func cleanTree(_ site: Fixture) throws -> [String: Data] {
        let folder = "clean-\(UUID().uuidString)"
        _ = try SiteBuilder.build(BuildOptions(site: site.root, output: site.root.appendingPathComponent(folder)))
        return site.tree(folder).filter { $0.key != Manifest.fileName && $0.key != OutputWriter.markerName }
    }

    @Test func incrementalRebuildsEqualCleanBuilds() throws {
        let site = try Fixture(PublishingTests.site)
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        #expect(session.buildAll().succeeded)
        #expect(site.tree("Preview") == (try cleanTree(site)))

        // Each change, the pages open in a browser, and what the update must render before
        // it returns (the rest follows in `refreshSecondaryFiles`).
        let steps: [(String, () throws -> Void, Set<String>, (SiteSession.Outcome) -> Void)] = [
            // The same number of words: lists are unchanged, so only the page is rendered.
            ("body edit", { try site.write("Content/notes/first.md", "---\ntitle: First\ndate: 2025-01-02\ntags: [a, b]\n---\n\nNew body words, seven of them here.\n") },
             ["/"], { #expect($0.renderedPages == 1) }),
            // A new word count shows in lists: the page and the home page that lists pages (open
            // in a tab), but not the other article (the tag pages and print view follow the reload).
            ("word count", { try site.write("Content/notes/first.md", "---\ntitle: First\ndate: 2025-01-02\ntags: [a, b]\n---\n\nNew body words.\n") },
             ["/"], { #expect($0.renderedPages == 2) }),
            // With no tab on the home page, it follows the reload too.
            ("word count, home page closed", { try site.write("Content/notes/first.md", "---\ntitle: First\ndate: 2025-01-02\ntags: [a, b]\n---\n\nNew body words again.\n") },
             [], { #expect($0.renderedPages == 1) }),
            ("title edit", { try site.write("Content/notes/first.md", "---\ntitle: Renamed\ndate: 2025-01-02\ntags: [a]\n---\n\nNew body words.\n") },
             ["/"], { #expect($0.renderedPages > 1) }),
            ("new page", { try site.write("Content/notes/third.md", "---\ntitle: Third\ndate: 2025-06-01\n---\n\nThird.\n") }, [], { _ in }),
            ("template", { try site.write("Templates/article.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title | upper }}</h1>{{ page.content }}{% endblock %}") },
             [], { #expect($0.renderedPages > 1) }),
            // Only the home page uses home.html (and the four site-wide pages follow).
            ("home template", { try site.write("Templates/home.html", "{% extends \"base.html\" %}{% block main %}<ol>{% for p in site.pages %}<li>{{ p.title }}</li>{% endfor %}</ol>{% endblock %}") },
             [], { #expect($0.renderedPages == 1 + 4) }),
            ("data", { try site.write("Content/data/scores.csv", "Name,Score\nA,9\nB,\n") }, [], { _ in }),
            ("stylesheet", { try site.write("Templates/assets/style.css", "body{color:navy}") }, [], { #expect($0.stylesheetsOnly) }),
            ("deleted page", { try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/notes/second.md")) }, [], { _ in }),
        ]
        let changed: [String: Set<String>] = [
            "body edit": ["Content/notes/first.md"], "word count": ["Content/notes/first.md"], "word count, home page closed": ["Content/notes/first.md"],
            "title edit": ["Content/notes/first.md"], "new page": ["Content/notes/third.md"],
            "template": ["Templates/article.html"], "home template": ["Templates/home.html"], "data": ["Content/data/scores.csv"], "stylesheet": ["Templates/assets/style.css"],
            "deleted page": ["Content/notes/second.md"],
        ]
        for (name, change, viewing, expectation) in steps {
            try change()
            let outcome = session.update(changed[name]!, viewing: viewing)
            #expect(outcome.succeeded, "\(name): \(outcome.diagnostics.map(\.description))")
            expectation(outcome)
            session.refreshSecondaryFiles()
            let incremental = site.tree("Preview"), clean = try cleanTree(site)
            #expect(incremental == clean, "\(name): differs in \(Set(incremental.keys).symmetricDifference(clean.keys).union(clean.keys.filter { incremental[$0] != clean[$0] }).sorted())")
        }
    }

    @Test func aFailedUpdateWritesNothingAndRecovers() throws {
        let site = try Fixture(PublishingTests.site)
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        _ = session.buildAll()
        let before = site.tree("Preview")
        try site.write("Content/notes/first.md", "---\ntitle: [broken\n---\n")
        let failed = session.update(["Content/notes/first.md"])
        #expect(!failed.succeeded)
        #expect(failed.diagnostics.first?.location?.path == "Content/notes/first.md")
        #expect(site.tree("Preview") == before)
        try site.write("Templates/article.html", "{% extends \"base.html\" %}{% block main %}{{ page.titel | uper }}{% endblock %}")
        #expect(!session.update(["Templates/article.html"]).succeeded)
        try site.write("Templates/article.html", "{% extends \"base.html\" %}{% block main %}{{ page.title }}{% endblock %}")
        try site.write("Content/notes/first.md", "---\ntitle: Fixed\n---\n\nOk.\n")
        #expect(session.update(["Content/notes/first.md", "Templates/article.html"]).succeeded)
        #expect(site.read("Preview/notes/first/index.html")?.contains("Fixed") == true)
    }

    /// A new asset (or template, or dataset) can claim a page's output path: the preview
    /// checks the paths again, as a build would.
    @Test func aNewAssetThatClashesWithAPageIsAnError() throws {
        let site = try Fixture(PublishingTests.site)
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        #expect(session.buildAll().succeeded)
        try site.write("Content/assets/guide.md", "---\ntitle: Guide\n---\n\nText.\n")
        #expect(session.update(["Content/assets/guide.md"]).succeeded)
        try site.write("Templates/assets/guide/index.html", "<p>asset</p>")
        let clash = session.update(["Templates/assets/guide/index.html"])
        #expect(!clash.succeeded)
        #expect(clash.diagnostics.contains { $0.message.contains("assets/guide/index.html") }, "\(clash.diagnostics.map(\.description))")
    }
}
