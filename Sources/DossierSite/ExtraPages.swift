import DossierCore
import DossierMarkdown
import DossierTemplates
import Foundation

/// A page made from the whole site rather than from one article.
struct ExtraPage: Sendable {
    var path: String
    var url: String
    var html: String
    /// The template that rendered it, for pointing problems back at their source.
    var template: String
    /// Its links and ids for the checks (none for the print view, which is not checked:
    /// it repeats the pages' own content).
    var scan: PageScan
}

/// Pages made from the site rather than from one article: a page per tag, the 404 page and
/// the print view of the whole briefing. Each is rendered only when its template exists
/// (`tag.html`, `404.html`, `print.html`).
extension PageRenderer {
    /// `summary` gives each page's short form, `content` its Markdown's HTML, `headings` its headings.
    func renderExtraPages(_ pages: [Page], shared: Shared, summary: (Page) -> Value, content: (Page) -> String,
                          headings: (Page) -> [Heading]) -> [ExtraPage] {
        var out: [ExtraPage] = []
        func render(_ template: String, page: [String: Value], path: String, url: String) {
            var pageValue: [String: Value] = [
                "title": "", "summary": "", "content": .html(""), "toc": [], "tags": [], "authors": [],
                "word_count": 0, "reading_time": 0, "prev": .null, "next": .null, "layout": .string(String(template.dropLast(5))),
                "url": .string(urls.url(url)),
                "share_image": .string(urls.url("/" + ShareCards.siteCard)), "share_image_alt": .string(config.title),
            ]
            pageValue.merge(page) { _, new in new }
            let context: [String: Value] = ["site": shared.site, "page": .dictionary(pageValue), "data": .dictionary(shared.data)]
            do throws(DiagnosticError) {
                let (html, map) = try templates.renderMapped(template, context: context, environment: environment)
                let scan = template == "print.html" ? PageScan(hrefs: [], srcs: [], ids: [], imagesWithoutAlt: [])
                    : PageScan(html, map: map, templates: templates.templatesUsed(by: template))
                out.append(ExtraPage(path: path, url: url, html: html, template: template, scan: scan))
            } catch {
                diagnostics.add(contentsOf: error.diagnostics)
            }
        }

        if templates.template(named: "tag.html") != nil {
            for (tag, slug, tagged) in Self.tagPages(pages) {
                render("tag.html", page: [
                    "title": .string("Tagged “\(tag)”"), "tag": .string(tag),
                    "pages": .array(tagged.map(summary)),
                ], path: "tags/\(slug)/index.html", url: "/tags/\(URLPath.encode(slug))/")
            }
        }
        if templates.template(named: "404.html") != nil {
            render("404.html", page: ["title": "Page not found"], path: "404.html", url: "/404.html")
        }
        if templates.template(named: "print.html") != nil {
            render("print.html", page: ["title": .string(config.title), "pages": .array(printSections(pages, summary: summary, content: content, headings: headings))],
                   path: "print/index.html", url: "/print/")
        }
        return out
    }

    /// The PDF edition's source: `pdf.html` with the print view's sections, the date of
    /// the newest page and the build's date (nil, with the error reported, when it fails).
    func renderPDFSource(_ pages: [Page], shared: Shared, summary: (Page) -> Value, content: (Page) -> String,
                         headings: (Page) -> [Heading]) -> String? {
        let newest = pages.compactMap { $0.matter.updated ?? $0.matter.date }.max()
        let page: [String: Value] = [
            "title": .string(config.title), "summary": .string(config.description), "content": .html(""), "toc": [], "tags": [],
            "authors": config.author.isEmpty ? [] : [.string(config.author)], "layout": "pdf", "url": .string(urls.url("/")),
            "pages": .array(printSections(pages, summary: summary, content: content, headings: headings)),
            "date": newest.map(Value.date) ?? .null, "built": .date(options.now),
            "keywords": .string(Array(Set(pages.flatMap(\.matter.tags))).sorted().joined(separator: ", ")),
        ]
        let context: [String: Value] = ["site": shared.site, "page": .dictionary(page), "data": .dictionary(shared.data)]
        do throws(DiagnosticError) {
            return try templates.renderMapped(PDFEdition.template, context: context, environment: environment).0
        } catch {
            diagnostics.add(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// The print view's sections: every page, by `weight`, then the home page, then by
    /// date and URL; each page's ids (and its table of contents) prefixed so that they
    /// stay unique in one document.
    private func printSections(_ pages: [Page], summary: (Page) -> Value, content: (Page) -> String, headings: (Page) -> [Heading]) -> [Value] {
        let ordered = pages.sorted { a, b in
            switch (a.matter.weight, b.matter.weight) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: break
            }
            if (a.url == "/") != (b.url == "/") { return a.url == "/" }
            return (a.matter.date ?? .distantPast, a.url) < (b.matter.date ?? .distantPast, b.url)
        }
        let sections: [Value] = ordered.enumerated().map { i, page in
            let prefix = "s\(i + 1)-"
            let pageHeadings = headings(page)
            guard case .dictionary(var d) = page.templateValue(summary: summary(page), content: HTMLIDs.prefix(content(page), with: prefix),
                                                               headings: pageHeadings, previous: nil, next: nil) else { return .null }
            d["anchor"] = .string("s\(i + 1)")
            d["toc"] = .array(pageHeadings.filter { (2...3).contains($0.level) }.map {
                .dictionary(["level": .number(Double($0.level)), "id": .string(prefix + $0.id), "title": .string($0.text)])
            })
            return .dictionary(d)
        }
        return sections
    }

    /// Each tag with its page's slug and its pages (the home page, then newest first), in the order of the tags.
    static func tagPages(_ pages: [Page]) -> [(tag: String, slug: String, pages: [Page])] {
        var byTag: [String: [Page]] = [:]
        // The home page first (it is not in `site.pages`, but its tags are tags of the site).
        for page in pages.filter({ $0.url == "/" }) + listed(pages) { for tag in page.matter.tags { byTag[tag, default: []].append(page) } }
        var slugs = UniqueSlugs()
        return byTag.keys.sorted().map { tag in (tag, slugs.make(Slug.make(tag), fallback: "tag"), byTag[tag]!) }
    }
}
