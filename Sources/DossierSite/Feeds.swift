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
        let dated = pages.indices.filter { keys[$0] != nil && pages[$0].url != "/" }
        return dated.sorted { (keys[$0]!.0, keys[$1]!.1) > (keys[$1]!.0, keys[$0]!.1) }.prefix(limit).map { pages[$0] }
    }

    /// Atom 1.0 over the most recent dated pages (`feed_limit` in site.yaml, 50 by
    /// default), newest first. Dates come from the content only.
    static func atom(config: SiteConfig, root: String, pages: [Page], content: (Page) -> String) -> String {
        let entries = feedPages(pages, limit: config.feedLimit)
        let updated = entries.map { $0.matter.updated ?? $0.matter.date! }.max()
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(xml(config.language))\">\n"
        out += "  <title>\(xml(config.title))</title>\n"
        if !config.description.isEmpty { out += "  <subtitle>\(xml(config.description))</subtitle>\n" }
        out += "  <id>\(xml(root + "/"))</id>\n"
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(xml(root + "/"))\"/>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(xml(root + "/feed.xml"))\"/>\n"
        out += "  <updated>\(DateText.iso8601(updated ?? Date(timeIntervalSince1970: 0)))</updated>\n"
        if !config.author.isEmpty { out += "  <author><name>\(xml(config.author))</name></author>\n" }
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
    static func sitemap(root: String, urls: [(url: String, lastModified: Date?)]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in urls.sorted(by: { $0.url < $1.url }) {
            out += "  <url><loc>\(xml(URLPath.encodeASCII(root + entry.url)))</loc>"
            if let d = entry.lastModified { out += "<lastmod>\(DateText.day(d))</lastmod>" }
            out += "</url>\n"
        }
        return out + "</urlset>\n"
    }

    /// Crawlers may read everything but the build's own bookkeeping (the manifest, the
    /// output folder's marker), which no page links to and no search should list.
    static func robots(root: String?, basePath: String = "") -> String {
        var out = "User-agent: *\nDisallow: \(basePath)/\(Manifest.fileName)\nDisallow: \(basePath)/\(OutputWriter.markerName)\nAllow: /\n"
        if let root { out += "Sitemap: \(root)/sitemap.xml\n" }
        return out
    }
}
