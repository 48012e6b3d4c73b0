import DossierCore
@testable import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// Sites in several languages (#18): `NAME.CODE.md` beside `NAME.md`, published under
/// `/CODE/`, each language with its own pages, strings, feed and sitemap, and the data
/// drawn in its words.
@Suite struct MultilingualTests {
    static let layout = """
        <!DOCTYPE html>
        <html lang="{{ page.language }}"><head><title>{{ page.title }} · {{ site.title }}</title>
        {% for t in page.translations %}<link rel="alternate" hreflang="{{ t.language }}" href="{{ t.url | absolute_url }}">
        {% endfor %}</head><body>
        <nav>{% for t in page.translations %}{% if t.language != page.language %}<a class="switch" href="{{ t.url }}">{{ t.name }}</a>{% endif %}{% endfor %}</nav>
        <p class="hello">{{ site.i18n.hello }}</p>
        <p class="date">{{ page.date | date: site.i18n.date_format }}</p>
        <ul>{% for p in site.pages %}<li>{{ p.url }}</li>{% endfor %}</ul>
        {{ page.content }}
        </body></html>
        """

    static let files: [String: String] = [
        "Content/site.yaml": """
            title: Briefing
            base_url: https://example.org/
            language: en
            languages:
              en: { name: English }
              ko: { name: 한국어, title: 브리핑, description: 한국어판 }
            """,
        "Content/index.md": "---\ntitle: Home\ndate: 2025-06-01\n---\n\nWelcome. Read [the article](a.md).\n",
        "Content/index.ko.md": "---\ntitle: 홈\ndate: 2025-06-01\n---\n\n환영합니다. [글](a.md)과 [영어로만 있는 글](only.md)을 읽어 보세요.\n",
        "Content/a.md": "---\ntitle: Article\ndate: 2025-06-02\n---\n\nText.\n",
        "Content/a.ko.md": "---\ntitle: 글\ndate: 2025-06-02\n---\n\n본문. [영어판](/a/)\n",
        "Content/only.md": "---\ntitle: English only\ndate: 2025-06-03\n---\n\nText.\n",
        "Content/notes.v2.md": "---\ntitle: Version two\ndate: 2025-05-01\n---\n\nA dot in a name that is not a language.\n",
        "Templates/article.html": layout,
        "Templates/home.html": layout,
        "Templates/i18n/en.yaml": "hello: Hello\ndate_format: \"%-d %B %Y\"\n",
        "Templates/i18n/ko.yaml": "hello: 안녕하세요\ndate_format: \"%Y년 %-m월 %-d일\"\n",
    ]

    @Test func eachLanguageIsASiteOfItsOwn() throws {
        let site = try Fixture(Self.files)
        let report = try site.build()
        // (ko.yaml gives none of Dossier's own words: the one warning.)
        #expect(report.warnings.allSatisfy { $0.message.contains("no 'dossier' string") }, "\(report.warnings.map(\.message))")
        let home = try #require(site.read("Output/ko/index.html"))
        #expect(home.contains("<html lang=\"ko\">") && home.contains("<title>홈 · 브리핑</title>"))
        #expect(home.contains("<p class=\"hello\">안녕하세요</p>") && home.contains("<p class=\"date\">2025년 6월 1일</p>"))
        // `site.pages` holds the language's own pages.
        #expect(home.contains("<ul><li>/ko/a/</li></ul>"), "\(home)")
        // A relative link goes to the page's version in the same language, when there is one.
        #expect(home.contains("<a href=\"/ko/a/\">글</a>") && home.contains("<a href=\"/only/\">영어로만 있는 글</a>"))
        // Alternates and the switcher: the same page in the other language.
        #expect(home.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/\">"))
        #expect(home.contains("<link rel=\"alternate\" hreflang=\"ko\" href=\"https://example.org/ko/\">"))
        #expect(home.contains("<a class=\"switch\" href=\"/\">English</a>"))
        let english = try #require(site.read("Output/a/index.html"))
        #expect(english.contains("<html lang=\"en\">") && english.contains("<a class=\"switch\" href=\"/ko/a/\">한국어</a>"))
        #expect(english.contains("<ul><li>/only/</li><li>/a/</li><li>/notes.v2/</li></ul>"), "\(english)")
        #expect(english.contains("<p class=\"date\">2 June 2025</p>"))
        // A page without a translation has no alternates and no switcher.
        let only = try #require(site.read("Output/only/index.html"))
        #expect(!only.contains("hreflang") && !only.contains("class=\"switch\""))
        // Feeds and sitemaps per language; robots.txt names both sitemaps.
        let feed = try #require(site.read("Output/ko/feed.xml"))
        #expect(feed.contains("xml:lang=\"ko\"") && feed.contains("<title>브리핑</title>") && feed.contains("<id>https://example.org/ko/</id>"))
        #expect(feed.contains("<id>https://example.org/ko/a/</id>") && !feed.contains("<id>https://example.org/a/</id>"))
        #expect(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/ko/feed.xml\"/>"))
        let englishFeed = try #require(site.read("Output/feed.xml"))
        #expect(englishFeed.contains("xml:lang=\"en\"") && !englishFeed.contains("/ko/"))
        let sitemap = try #require(site.read("Output/sitemap.xml"))
        #expect(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""))
        #expect(sitemap.contains("<url><loc>https://example.org/a/</loc><lastmod>2025-06-02</lastmod>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/a/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"ko\" href=\"https://example.org/ko/a/\"/>\n  </url>"))
        #expect(!sitemap.contains("https://example.org/ko/a/</loc>"))
        let koreanSitemap = try #require(site.read("Output/ko/sitemap.xml"))
        #expect(koreanSitemap.contains("<loc>https://example.org/ko/a/</loc>") && !koreanSitemap.contains("<loc>https://example.org/only/</loc>"))
        let robots = try #require(site.read("Output/robots.txt"))
        #expect(robots.contains("Sitemap: https://example.org/sitemap.xml\nSitemap: https://example.org/ko/sitemap.xml\n"))
    }

    /// A site in one language is untouched: `x.ko.md` is just a page named `x.ko`.
    @Test func aSiteInOneLanguageKeepsItsPaths() throws {
        var files = Self.files
        files["Content/site.yaml"] = "title: Briefing\nbase_url: https://example.org/\n"
        files["Templates/i18n/ko.yaml"] = nil
        let site = try Fixture(files)
        try site.build()
        #expect(site.read("Output/a.ko/index.html") != nil)
        #expect(site.read("Output/ko/feed.xml") == nil && site.read("Output/ko/sitemap.xml") == nil)
        #expect(try #require(site.read("Output/robots.txt")).components(separatedBy: "Sitemap:").count == 2)
    }

    /// What the site's words leave out, and words for a language it does not have, are
    /// warnings; the default language's string stands in.
    @Test func missingStringsAreWarnings() throws {
        var files = Self.files
        files["Templates/i18n/ko.yaml"] = "date_format: \"%Y년 %-m월 %-d일\"\ndossier: { figure: \"그림 {n}\", bogus: x }\n"
        files["Templates/i18n/fr.yaml"] = "hello: Bonjour\n"
        let site = try Fixture(files)
        let report = try site.build()
        let messages = report.warnings.map { "\($0.location?.path ?? ""): \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("Templates/i18n/ko.yaml:") && $0.contains("has no 'hello'") }, "\(messages)")
        #expect(report.warnings.contains { $0.message.contains("'dossier.bogus'") && $0.location?.path == "Templates/i18n/ko.yaml" && $0.location?.line == 2 },
                "\(messages)")
        #expect(messages.contains { $0.hasPrefix("Templates/i18n/ko.yaml:") && $0.contains("no 'dossier' string for") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("Templates/i18n/fr.yaml:") && $0.contains("not one of the site's languages") }, "\(messages)")
        #expect(try #require(site.read("Output/ko/index.html")).contains("<p class=\"hello\">Hello</p>"))
    }

    @Test(arguments: [
        ("languages: [en, ko]", "'languages' must be a mapping"),
        ("languages: { Korean: { name: 한국어 } }", "'Korean' is not a language code"),
        ("languages: { ko: { nam: 한국어 } }", "unknown language setting 'nam' (did you mean 'name'?)"),
        ("language: english", "'language' must be a language code"),
    ])
    func badLanguageSettingsAreLocatedErrors(setting: String, message: String) throws {
        let site = try Fixture(["Content/site.yaml": "title: T\n" + setting + "\n", "Content/index.md": "---\ntitle: Home\n---\n",
                                "Templates/home.html": "{{ page.title }}"])
        let errors = site.failedBuild()
        #expect(errors.contains { $0.message.contains(message) && $0.location?.path == "Content/site.yaml" && $0.location?.line == 2 },
                "\(errors.map(\.message))")
    }

    /// A chart on a Korean page draws the sidecar's Korean labels, Korean level names and
    /// Dossier's own Korean words; the English page and the downloads keep the originals.
    @Test func chartsDrawInThePagesLanguage() throws {
        var files = Self.files
        files["Content/data/scales.yaml"] = """
            steps:
              levels: [Low, High]
              translations:
                ko: { title: 단계, levels: { Low: 낮음, High: 높음 } }
            """
        files["Content/data/ratings.csv"] = "Sector,Korea,Japan\nHealth,Low,High\nFinance,High,\n"
        files["Content/data/ratings.yaml"] = """
            title: Ratings
            source: { name: A report }
            scale: steps
            translations:
              ko:
                title: 평가
                source: 보고서
                labels: { Sector: 부문, Korea: 한국, Japan: 일본, Health: 의료, Finance: 금융 }
            """
        let chart = "\n```chart\ndata: ratings\ntype: heatmap\nlabel: fig-r\nhighlight: Korea\n```\n\nSee @fig-r.[^n]\n\n[^n]: A note.\n"
        files["Content/a.md"]! += chart
        files["Content/a.ko.md"]! += chart
        files["Templates/i18n/ko.yaml"]! += "dossier:\n  figure: \"그림 {n}\"\n  not_stated: 명시되지 않음\n  notes_title: 주\n  source: \"출처: {source}.\"\n"
        let site = try Fixture(files)
        try site.build()
        let korean = try #require(site.read("Output/ko/a/index.html"))
        for text in ["그림 1.", ">의료<", ">한국<", ">일본<", ">낮음<", ">높음<", "명시되지 않음", "출처: 보고서.", ">그림\u{A0}1</a>", ">주</h2>"] {
            #expect(korean.contains(text), "\(text)")
        }
        #expect(!korean.contains(">Health<") && !korean.contains("Figure 1") && !korean.contains(">Notes</h2>"))
        // The highlighted row or column follows its translation.
        #expect(korean.contains("<rect class=\"dsr-outline\""), "the highlight is drawn")
        let english = try #require(site.read("Output/a/index.html"))
        #expect(english.contains("Figure 1.") && english.contains(">Health<") && english.contains(">Notes</h2>") && !english.contains("의료"))
        let csv = try #require(site.read("Output/data/ratings.csv"))
        #expect(csv.hasPrefix("Sector,Korea,") && csv.contains("Health,Low,") && !csv.contains("의료"))
    }

    @Test func aTranslationLabelThatNamesNothingIsALocatedError() throws {
        var files = Self.files
        files["Content/data/ratings.csv"] = "Sector,Korea\nHealth,1\n"
        files["Content/data/ratings.yaml"] = "title: R\nsource: { name: S }\ntranslations:\n  ko:\n    labels: { Helth: 의료 }\n    colour: x\n"
        let site = try Fixture(files)
        let errors = site.failedBuild()
        #expect(errors.contains { $0.message.contains("no column, row or text value 'Helth' (did you mean 'Health'?)") && $0.location?.line == 5 },
                "\(errors.map(\.message))")
        #expect(errors.contains { $0.message.contains("unknown translation setting 'colour'") && $0.location?.line == 6 })
    }

    /// `dossier check`: a page without a translation, and a translation that links to a page
    /// in another language.
    @Test func checkWarnsAboutMissingTranslationsAndLinksOutOfTheLanguage() throws {
        let site = try Fixture(Self.files)
        var options = BuildOptions(site: site.root)
        options.offline = true
        let found = SiteChecker.check(options).problems.map { "\($0.location?.path ?? ""):\($0.location?.line ?? 0): \($0.message)" }
        #expect(found.contains("Content/only.md:1: this page has no 한국어 (ko) translation: add Content/only.ko.md"), "\(found)")
        #expect(found.contains("Content/notes.v2.md:1: this page has no 한국어 (ko) translation: add Content/notes.v2.ko.md"), "\(found)")
        #expect(found.contains { $0.hasPrefix("Content/index.ko.md:6: ") && $0.contains("links to /only/, which has no 한국어 (ko) translation") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("Content/a.ko.md:6: ") && $0.contains("links to the English (en) page /a/; its 한국어 (ko) version is /ko/a/") }, "\(found)")
        #expect(!found.contains { $0.hasPrefix("Content/a.md") || $0.hasPrefix("Content/index.md") }, "\(found)")
    }

    /// The preview: an edit, a new translation (whose original must gain its alternates)
    /// and a changed strings file each leave what a clean build writes.
    @Test func thePreviewKeepsTheLanguagesInStep() throws {
        let site = try Fixture(Self.files)
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview")))
        #expect(session.buildAll().succeeded)
        func clean() throws -> [String: Data] {
            let folder = "clean-\(UUID().uuidString)"
            _ = try SiteBuilder.build(BuildOptions(site: site.root, output: site.root.appendingPathComponent(folder)))
            return site.tree(folder).filter { $0.key != Manifest.fileName && $0.key != OutputWriter.markerName }
        }
        let steps: [(String, String, String)] = [
            ("Content/a.ko.md", "---\ntitle: 고친 글\ndate: 2025-06-02\n---\n\n고친 본문.\n", "/ko/a/"),
            ("Content/only.ko.md", "---\ntitle: 이제 한국어로도\ndate: 2025-06-03\n---\n\n본문.\n", "/only/"),
            ("Templates/i18n/ko.yaml", "hello: 반갑습니다\ndate_format: \"%Y년 %-m월 %-d일\"\n", "/ko/"),
        ]
        for (path, text, viewing) in steps {
            try site.write(path, text)
            let outcome = session.update([path], viewing: [viewing])
            #expect(outcome.succeeded, "\(path): \(outcome.diagnostics.map(\.description))")
            session.refreshSecondaryFiles()
            let incremental = site.tree("Preview"), expected = try clean()
            #expect(incremental == expected, "\(path): differs in \(Set(incremental.keys).symmetricDifference(expected.keys).union(expected.keys.filter { incremental[$0] != expected[$0] }).sorted())")
        }
        #expect(try #require(site.read("Preview/only/index.html")).contains("hreflang=\"ko\" href=\"https://example.org/ko/only/\""))
        #expect(try #require(site.read("Preview/ko/index.html")).contains("반갑습니다"))
    }

    /// The bundled Korean strings give every word Dossier writes itself, and the template
    /// reference lists every key.
    @Test func theKoreanStringsAndTheReferenceCoverEveryKey() throws {
        let diagnostics = Diagnostics()
        let languages = Languages([SiteLanguage(code: "en", name: "English"), SiteLanguage(code: "ko", name: "한국어")])
        let strings = UIStrings.load(templates: FlagshipTests.repository.appendingPathComponent("Templates"), languages: languages, diagnostics: diagnostics)
        #expect(diagnostics.all.isEmpty, "\(diagnostics.all.map(\.message))")
        let korean = strings.builtIn("ko")
        let reference = try String(contentsOf: FlagshipTests.repository.appendingPathComponent("docs/templates.md"), encoding: .utf8)
        for key in UIStrings.builtInKeys where !key.hasSuffix("_one") {
            #expect(korean[key] != nil, "ko.yaml has no dossier.\(key)")
            #expect(reference.contains("`\(key)`"), "docs/templates.md does not list \(key)")
        }
        #expect(strings.strings("ko")["contents"]?.stringValue == "목차")
    }
}
