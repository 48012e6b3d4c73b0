import DossierCore
import DossierSite
import Foundation
import Testing

/// #15 item 10: content laid out as a Hugo author lays it out — section `_index.md` files,
/// page bundles with their images, TOML, JSON and no front matter, `aliases`, `lastmod`,
/// `slug` and `url`, `publishDate` and `expiryDate`, a headless `_common/` fragment, and
/// relative `.md` links between them — builds strictly with no broken link.
@Suite struct HugoSiteTests {
    static let files: [String: String] = [
        "Content/site.yaml": "title: Project docs\nbase_url: https://example.org/docs-site/\nlanguage: en\n",
        "Content/_index.md": """
            +++
            title = "Project documentation"
            description = "Everything about the project."
            +++

            Start with [getting started](docs/getting-started/index.md) or the
            [configuration reference](reference/config.md#options).
            """,
        "Content/docs/_index.md": """
            +++
            title = "Docs"
            weight = 1
            +++

            The guides: [install](install.md), [getting started](getting-started/).
            """,
        "Content/docs/getting-started/index.md": """
            +++
            title = "Getting started"
            date = 2024-01-15
            lastmod = 2024-03-02T10:00:00Z
            aliases = ["/getting-started/", "/docs/quickstart.html"]
            tags = ["guide"]
            +++

            ![How the parts fit](diagram.png)

            First [install it](../install.md#requirements), then read the
            [options](../../reference/config.md#options).

            ```include
            file: _common/support.md
            ```

            ## Next

            See [the release notes](../../blog/2024-01-release.md).
            """,
        "Content/docs/getting-started/diagram.png": "PNG",
        "Content/docs/install.md": """
            +++
            title = "Installation"
            slug = "installation"
            date = 2024-01-10
            +++

            ## Requirements

            A Unix shell. Back to [getting started](getting-started/index.md).
            """,
        "Content/reference/_index.md": "---\ntitle: Reference\n---\n\nThe [configuration](config.md).\n",
        "Content/reference/config.md": """
            ---
            title: Configuration
            url: /ref/config/
            lastmod: 2024-02-01
            ---

            ## Options

            Every option, as in [the guide](../docs/getting-started/index.md).
            """,
        "Content/reference/glossary.md": "# Glossary\n\nTerms, with no front matter at all.\n",
        "Content/blog/2024-01-release.md": """
            {
              "title": "Release 1.0",
              "date": "2024-01-20",
              "publishDate": "2024-01-20",
              "expiryDate": "2099-01-01"
            }

            The first release. ![Logo](../_common/logo.png)
            """,
        "Content/blog/old-news.md": "+++\ntitle = \"Old news\"\ndate = 2020-01-01\nexpiryDate = 2021-01-01\n+++\n\nGone.\n",
        "Content/_common/support.md": "+++\nheadless = true\n+++\n\n> [!TIP]\n> Questions? Read the [glossary](/reference/glossary/).\n",
        "Content/_common/logo.png": "PNG",
        "Templates/base.html": "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page.title }}</title></head><body>{% block main %}{% endblock %}</body></html>",
        "Templates/article.html": "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% if page.updated %}<p>Updated {{ page.updated | date: \"%Y-%m-%d\" }}</p>{% endif %}{{ page.content }}{% endblock %}",
        "Templates/home.html": "{% extends \"article.html\" %}",
    ]

    @Test func aHugoSiteComesOver() throws {
        let site = try Fixture(Self.files)
        let report = try site.build(strict: true)
        #expect(report.warnings.isEmpty, "\(report.warnings.map(\.description))")
        let check = SiteChecker.check(BuildOptions(site: site.root))
        #expect(check.problems.isEmpty, "\(check.problems.map(\.description))")

        let home = site.read("Output/index.html") ?? ""
        #expect(home.contains("<h1>Project documentation</h1>"))
        #expect(home.contains("href=\"/docs-site/docs/getting-started/\"") && home.contains("href=\"/docs-site/ref/config/#options\""))
        #expect(site.read("Output/docs/index.html")?.contains("href=\"/docs-site/docs/installation/\"") == true)
        let guide = site.read("Output/docs/getting-started/index.html") ?? ""
        #expect(guide.contains("<img src=\"/docs-site/docs/getting-started/diagram.png\""))
        #expect(guide.contains("href=\"/docs-site/docs/installation/#requirements\""))
        #expect(guide.contains("href=\"/docs-site/ref/config/#options\""))
        #expect(guide.contains("href=\"/docs-site/blog/2024-01-release/\""))
        #expect(guide.contains("Questions?") && guide.contains("callout"))  // the headless fragment, in place
        #expect(guide.contains("<p>Updated 2024-03-02</p>"))
        #expect(site.read("Output/docs/getting-started/diagram.png") == "PNG")
        #expect(site.read("Output/getting-started/index.html")?.contains("url=/docs-site/docs/getting-started/") == true)
        #expect(site.read("Output/docs/quickstart.html")?.contains("url=/docs-site/docs/getting-started/") == true)
        #expect(site.read("Output/reference/glossary/index.html")?.contains("<h1>Glossary</h1>") == true)
        #expect(site.read("Output/blog/2024-01-release/index.html")?.contains("src=\"/docs-site/_common/logo.png\"") == true)
        #expect(site.read("Output/blog/old-news/index.html") == nil)  // expired
        #expect(site.read("Output/_common/support/index.html") == nil)  // headless
        let sitemap = site.read("Output/sitemap.xml") ?? ""
        #expect(sitemap.contains("<loc>https://example.org/docs-site/docs/getting-started/</loc><lastmod>2024-03-02</lastmod>"))
        #expect(!sitemap.contains("quickstart"))
    }
}
