import DossierCore
import DossierTestSupport
import Foundation
import Testing

@testable import DossierSite

/// Citations through a whole build: the bibliography files, the pages' settings, the
/// print view, the build cache.
@Suite struct CitationSiteTests {
    static let bib = """
        @book{lee2017,
          author = {Lee, Hyun-joo},
          title = {Industrial Policy after the Developmental State},
          publisher = {Seoul University Press},
          address = {Seoul},
          year = {2017}
        }
        @report{kdi2022,
          author = {{Korea Development Institute}},
          title = {{AI} Readiness of Small Firms},
          year = {2022}
        }

        """

    static func site(_ extra: [String: String] = [:]) throws -> Fixture {
        var files = Fixture.basic
        files["Content/references.bib"] = bib
        files["Content/notes/second.md"] = "---\ntitle: Second\ndate: 2025-03-04\n---\n\nAs argued [@lee2017, p. 4]; see @kdi2022.\n"
        files["Templates/print.html"] = "{% extends \"base.html\" %}{% block main %}{% for s in page.pages %}<section id=\"{{ s.anchor }}\">{{ s.content }}</section>{% endfor %}{% endblock %}"
        for (k, v) in extra { files[k] = v }
        return try Fixture(files)
    }

    @Test func aCitingPageGetsItsListAndOthersNone() throws {
        let site = try Self.site()
        try site.build()
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains("(<a href=\"#ref-lee2017\" class=\"citation-link\">Lee 2017</a>, 4)"))
        #expect(page.contains("<a href=\"#ref-kdi2022\" class=\"citation-link\">Korea Development Institute</a> (<a href=\"#ref-kdi2022\" class=\"citation-link\">2022</a>)"))
        #expect(page.contains("<p id=\"ref-lee2017\" class=\"reference\">Lee, Hyun-joo. 2017. <em>Industrial Policy After the Developmental State</em>. Seoul: Seoul University Press.</p>"))
        #expect(!(site.read("Output/notes/first/index.html") ?? "").contains("references"))
        // The print view keeps each article's list, its ids made unique.
        let print = site.read("Output/print/index.html") ?? ""
        let prefixed = try #require(print.firstMatch(of: #/href="#(s[0-9]+-)ref-lee2017"/#)?.output.1)
        #expect(print.contains("<p id=\"\(prefixed)ref-lee2017\" class=\"reference\">"))
        #expect(print.contains("id=\"\(prefixed)references-title\""))
    }

    @Test func numericStyleAndEveryEntryFromFrontMatter() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\ncitation_style: numeric\nreferences: all\n---\n\nOnly one [@kdi2022].\n"])
        try site.build()
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains(">1</a>]"))
        #expect(page.contains("<li id=\"ref-kdi2022\"") && page.contains("<li id=\"ref-lee2017\""))
    }

    @Test func aBadBibliographyFailsTheBuildAtItsPlace() throws {
        let site = try Self.site(["Content/references.bib": "@book{a,\n  title = {T},\n  year = {twenty}\n}\n@book{a, title = {U}}\n"])
        let errors = site.failedBuild().map(\.headline)
        #expect(errors.contains("Content/references.bib:3:10: error: 'year' must be four digits, got 'twenty'"))
        #expect(errors.contains("Content/references.bib:5:7: error: the key 'a' is used twice"))
    }

    @Test func anUnknownKeyWarnsAndUnderStrictFails() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\n---\n\nSee [@lee2071].\n"])
        let report = try site.build()
        #expect(report.warnings.map(\.headline).contains("Content/notes/second.md:5:5: warning: no reference 'lee2071' in the bibliography (did you mean 'lee2017'?); it is shown as written"))
        #expect(site.failedBuild(strict: true).map(\.headline).contains { $0.contains("no reference 'lee2071'") })
    }

    @Test func badSettingsAreLocatedErrors() throws {
        let site = try Self.site(["Content/notes/second.md": "---\ntitle: Second\ncitation_style: harvard\nreferences: some\nbibliography: ../../etc/passwd.bib\n---\n\nText [@lee2017].\n"])
        let errors = site.failedBuild().map(\.headline)
        #expect(errors.contains("Content/notes/second.md:3:17: error: unknown citation_style 'harvard'; styles: chicago-author-date (the default), numeric"))
        #expect(errors.contains("Content/notes/second.md:4:13: error: 'references' must be 'all' (list every entry of the bibliography) or 'cited' (the default)"))
        #expect(errors.contains("Content/notes/second.md:5:15: error: 'bibliography: ../../etc/passwd.bib' leads outside Content/"))
    }

    @Test func aPageNamesItsOwnBibliography() throws {
        let site = try Self.site([
            "Content/notes/extra.json": "[{\"id\": \"moon2023\", \"type\": \"report\", \"title\": \"Public Procurement of AI\", \"author\": [{\"family\": \"Moon\", \"given\": \"Ha-eun\"}], \"issued\": {\"date-parts\": [[2023]]}}]",
            "Content/notes/second.md": "---\ntitle: Second\nbibliography: extra.json\n---\n\nBoth [@moon2023; @lee2017].\n",
        ])
        try site.build()
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains("Moon 2023</a>; <a href=\"#ref-lee2017\" class=\"citation-link\">Lee 2017</a>)"))
        #expect(page.contains("Moon, Ha-eun. 2023. “Public Procurement of AI.”"))
    }

    @Test func datasetsAreCitedAsDataNAME() throws {
        // Without a bibliography file: only `@data:…` is a citation; `@someone` stays text, silently.
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\nFrom [@data:scores], thanks to @someone.\n"
        let site = try Fixture(files)
        let report = try site.build()
        #expect(!report.warnings.contains { $0.message.contains("reference") }, "\(report.warnings)")
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains("(<a href=\"#ref-data-scores\" class=\"citation-link\">“Scores,” n.d.</a>)"))
        #expect(page.contains("<p id=\"ref-data-scores\" class=\"reference\">“Scores.” n.d. Tests.</p>"))
        #expect(page.contains("thanks to @someone."))
        try site.write("Content/notes/second.md", "---\ntitle: Second\n---\n\nFrom [@data:score].\n")
        #expect(try site.build().warnings.map(\.headline).contains("Content/notes/second.md:5:6: warning: no reference 'data:score' in the bibliography (did you mean 'data:scores'?); it is shown as written"))
    }

    @Test func aChangedBibliographyRendersThePagesAgain() throws {
        let site = try Self.site()
        try site.build()
        try site.write("Content/references.bib", Self.bib.replacingOccurrences(of: "year = {2017}", with: "year = {2018}"))
        try site.build()
        #expect((site.read("Output/notes/second/index.html") ?? "").contains("Lee 2018"))
    }
}

/// "Cite this": `page.cite`, `cite.bib` and `cite.ris` beside the page, the meta tags.
@Suite struct CiteThisTests {
    static func site(withCite: Bool = true) throws -> Fixture {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/sub/\nauthor: The Team\npublisher: Example Institute\n"
        files["Content/notes/second.md"] = "---\ntitle: Second's report\ndate: 2025-03-04\nupdated: 2025-04-01\nauthors: [\"Kim, Minsu\", Policy Unit]\n---\n\nText.\n"
        if withCite {
            files["Templates/article.html"] = "<head>{% if page.cite %}{{ page.cite.meta }}{% endif %}</head><h1>{{ page.title }}</h1>{{ page.content }}"
                + "{% if page.cite %}<p class=\"cite\">{{ page.cite.text }}</p><a href=\"{{ page.cite.bib_url }}\">bib</a><a href=\"{{ page.cite.ris_url }}\">ris</a>{% endif %}"
        }
        return try Fixture(files)
    }

    @Test func aLayoutShowingPageCiteGetsItsFilesAndTags() throws {
        let site = try Self.site()
        try site.build()
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains("<p class=\"cite\">Kim, Minsu, and Policy Unit. 2025. “Second’s report.” Example Institute. March 4, 2025. Last modified April 1, 2025. <a href=\"https://example.org/sub/notes/second/\">https://example.org/sub/notes/second/</a>.</p>"))
        #expect(page.contains("<a href=\"/sub/notes/second/cite.bib\">bib</a><a href=\"/sub/notes/second/cite.ris\">ris</a>"))
        for tag in ["<meta name=\"citation_title\" content=\"Second’s report\">", "<meta name=\"citation_author\" content=\"Kim, Minsu\">",
                    "<meta name=\"citation_author\" content=\"Policy Unit\">", "<meta name=\"citation_publication_date\" content=\"2025/03/04\">",
                    "<meta name=\"citation_online_date\" content=\"2025/04/01\">", "<meta name=\"citation_public_url\" content=\"https://example.org/sub/notes/second/\">"] {
            #expect(page.contains(tag), "\(tag)")
        }
        let ris = site.read("Output/notes/second/cite.ris") ?? ""
        #expect(ris.hasPrefix("TY  - ELEC\r\nAU  - Kim, Minsu\r\nAU  - Policy Unit\r\nTI  - Second’s report\r\n"))
        #expect(ris.hasSuffix("ER  - \r\n"))
        #expect(site.read("Output/notes/second/cite.bib")?.hasPrefix("@online{test-site-second,\n  author = {Kim, Minsu and {Policy Unit}},") == true)
        #expect(site.read("Output/notes/first/cite.bib") != nil)
        // The manifest lists them.
        #expect(site.read("Output/manifest.json")?.contains("notes/second/cite.ris") == true)
    }

    /// pandoc reads the page's cite.bib and sets the same entry as the page shows.
    @Test func theBibTeXFileReadsAsThePageSaysInPandoc() throws {
        let site = try Self.site()
        try site.build()
        let pandoc = try Pandoc.citeproc(Pandoc.everyEntry, bibliography: site.root.appendingPathComponent("Output/notes/first/cite.bib"), to: "plain")
        let page = site.read("Output/notes/first/index.html") ?? ""
        let ours = try #require(page.firstMatch(of: #/<p class="cite">(.*?)</p>/#)?.output.1)
        let text = String(ours).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        #expect(text == pandoc.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func noFilesWhenNoLayoutShowsPageCite() throws {
        let site = try Self.site(withCite: false)
        try site.build()
        #expect(site.tree().keys.filter { $0.contains("cite.") }.isEmpty)
    }
}

/// `page.citations` and `page.references` in templates, from this build and from the cache.
@Suite struct CitationTemplateTests {
    @Test(arguments: [true, false])
    func aLayoutPlacesTheListAndListsTheCitations(cache: Bool) throws {
        let site = try CitationSiteTests.site([
            "Templates/article.html": "<main>{{ page.content }}</main><aside>{{ page.references }}</aside>{% for c in page.citations %}[{{ c.key }}]{% endfor %}",
        ])
        try site.build(cache: cache)
        try site.build(cache: cache)  // the second time from the build cache, when on
        let page = site.read("Output/notes/second/index.html") ?? ""
        let main = try #require(page.firstMatch(of: #/<main>(.*?)</main>/#.dotMatchesNewlines())?.output.1)
        #expect(!main.contains("references"))
        #expect(page.contains("<aside><section class=\"references\""))
        #expect(page.contains("[lee2017][kdi2022]"))
    }
}
