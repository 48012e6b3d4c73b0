import DossierCore
import Foundation

/// The machine-readable files every published site needs: an Atom feed, a sitemap and
/// robots.txt. They need an absolute base URL; with a path-only one they are skipped
/// and the build says so.
enum Feeds {
    static func xml(_ s: String) -> String { HTML.escape(s) }

    /// The pages the feed carries, content and all: the `limit` most recently updated.
    static func feedPages(_ pages: [Page], limit: Int) -> [Page] {
        // The keys first: reading a page's front matter in every comparison was most of it.
        let keys = pages.map { page in page.matter.date.map { (page.matter.updated ?? $0, page.url) } }
        let dated = pages.indices.filter { keys[$0] != nil && !pages[$0].isHome }
        return dated.sorted { (keys[$0]!.0, keys[$1]!.1) > (keys[$1]!.0, keys[$0]!.1) }.prefix(limit).map { pages[$0] }
    }

    /// Atom 1.0 over the most recent dated pages (`feed_limit` in site.yaml, 50 by
    /// default), newest first. Dates come from the content only.
    /// In a site of several languages, each language has its own (`language`: its code):
    /// its pages, title and home, at `/CODE/feed.xml`.
    static func atom(config: SiteConfig, root: String, pages: [Page], language code: String? = nil, content: (Page) -> String) -> String {
        let code = code ?? config.language
        let home = root + config.languages.root(code), title = config.title(in: code), description = config.description(in: code)
        let author = config.author(in: code)
        let entries = feedPages(pages, limit: config.feedLimit)
        let updated = entries.map { $0.matter.updated ?? $0.matter.date! }.max()
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(xml(code))\">\n"
        out += "  <title>\(xml(title))</title>\n"
        if !description.isEmpty { out += "  <subtitle>\(xml(description))</subtitle>\n" }
        out += "  <id>\(xml(home))</id>\n"
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(xml(home))\"/>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(xml(root + "/" + config.languages.path("feed.xml", in: code)))\"/>\n"
        out += "  <updated>\(DateText.iso8601(updated ?? Date(timeIntervalSince1970: 0)))</updated>\n"
        if !author.isEmpty { out += "  <author><name>\(xml(author))</name></author>\n" }
        out += "  <generator>Dossier</generator>\n"
        for page in entries {
            let link = root + page.url
            out += "  <entry>\n"
            out += "    <title>\(xml(page.matter.title))</title>\n"
            out += "    <id>\(xml(link))</id>\n"
            out += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(xml(link))\"/>\n"
            out += "    <published>\(DateText.iso8601(page.matter.date!))</published>\n"
            out += "    <updated>\(DateText.iso8601(page.matter.updated ?? page.matter.date!))</updated>\n"
            for author in page.matter.authors { out += "    <author><name>\(xml(author))</name></author>\n" }
            for tag in page.matter.tags { out += "    <category term=\"\(xml(tag))\"/>\n" }
            if !page.summary.isEmpty { out += "    <summary>\(xml(page.summary))</summary>\n" }
            out += "    <content type=\"html\">\(xml(absolutize(content(page), origin: config.urls.origin)))</content>\n"
            out += "  </entry>\n"
        }
        return out + "</feed>\n"
    }

    /// Feed readers resolve links against the feed, not the page: make root-relative
    /// `href` and `src` values absolute.
    static func absolutize(_ html: String, origin: String) -> String {
        guard !origin.isEmpty else { return html }
        let linked = HTMLScanner.replacing("href=\"/", with: "href=\"\(origin)/", in: html)
        return HTMLScanner.replacing("src=\"/", with: "src=\"\(origin)/", in: linked)
    }

    /// Every published HTML page but the 404 page, with its last change date from content.
    /// `alternates`: a page's versions in every language (language code, site path), listed
    /// with it as `xhtml:link` alternates, as search engines read them.
    static func sitemap(root: String, urls: [(url: String, lastModified: Date?)], alternates: [String: [(language: String, url: String)]] = [:]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
        out += alternates.isEmpty ? ">\n" : " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        for entry in urls.sorted(by: { $0.url < $1.url }) {
            out += "  <url><loc>\(xml(URLPath.encodeASCII(root + entry.url)))</loc>"
            if let d = entry.lastModified { out += "<lastmod>\(DateText.day(d))</lastmod>" }
            for alternate in alternates[entry.url] ?? [] {
                out += "\n    <xhtml:link rel=\"alternate\" hreflang=\"\(xml(alternate.language))\" href=\"\(xml(URLPath.encodeASCII(root + alternate.url)))\"/>"
            }
            out += alternates[entry.url] == nil ? "</url>\n" : "\n  </url>\n"
        }
        return out + "</urlset>\n"
    }

    /// Crawlers may read everything but the build's own bookkeeping (the manifest, the
    /// output folder's marker), which no page links to and no search should list.
    /// `sitemaps`: their paths (one per language).
    static func robots(root: String?, basePath: String = "", sitemaps: [String] = ["sitemap.xml"]) -> String {
        var out = "User-agent: *\nDisallow: \(basePath)/\(Manifest.fileName)\nDisallow: \(basePath)/\(OutputWriter.markerName)\nAllow: /\n"
        if let root { for sitemap in sitemaps { out += "Sitemap: \(root)/\(sitemap)\n" } }
        return out
    }
}
