import DossierCore
import DossierTemplates
import Foundation

/// A page made from the whole site rather than from one article.
struct ExtraPage: Sendable {
    var path: String
    var url: String
    var html: String
    /// The template that rendered it, for pointing problems back at their source.
    var template: String
}

/// Pages made from the site rather than from one article: a page per tag, the 404 page and
/// the print view of the whole briefing. Each is rendered only when its template exists
/// (`tag.html`, `404.html`, `print.html`).
extension PageRenderer {
        func renderExtraPages(_ pages: [Page], shared precomputed: Shared? = nil) -> [ExtraPage] {
        let basePath = environment.basePath
        let (siteValue, data, _, _) = precomputed ?? shared(pages)
        var out: [ExtraPage] = []
        func render(_ template: String, page: [String: Value], path: String, url: String) {
            var pageValue: [String: Value] = [
                "title": "", "summary": "", "content": .html(""), "toc": [], "tags": [], "authors": [],
                "word_count": 0, "reading_time": 0, "prev": .null, "next": .null, "layout": .string(String(template.dropLast(5))),
                "url": .string(basePath + url),
            ]
            pageValue.merge(page) { _, new in new }
            let context: [String: Value] = ["site": siteValue, "page": .dictionary(pageValue), "data": .dictionary(data)]
            do throws(DiagnosticError) {
                out.append(ExtraPage(path: path, url: url, html: try site.templates.render(template, context: context, environment: environment), template: template))
            } catch {
                diagnostics.add(contentsOf: error.diagnostics)
            }
        }

        if site.templates.template(named: "tag.html") != nil {
            for (tag, slug, tagged) in Self.tagPages(pages) {
                render("tag.html", page: [
                    "title": .string("Tagged “\(tag)”"), "tag": .string(tag),
                    "pages": .array(tagged.map { $0.summaryValue(basePath: basePath) }),
                ], path: "tags/\(slug)/index.html", url: "/tags/\(URLPath.encode(slug))/")
            }
        }
        if site.templates.template(named: "404.html") != nil {
            render("404.html", page: ["title": "Page not found"], path: "404.html", url: "/404.html")
        }
        if site.templates.template(named: "print.html") != nil {
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
                guard case .dictionary(var d) = page.templateValue(basePath: basePath, previous: nil, next: nil) else { return .null }
                let prefix = "s\(i + 1)-"
                d["content"] = .html(HTMLIDs.prefix(page.rendered?.html ?? "", with: prefix))
                d["anchor"] = .string("s\(i + 1)")
                d["toc"] = .array((page.rendered?.tableOfContents ?? []).map {
                    .dictionary(["level": .number(Double($0.level)), "id": .string(prefix + $0.id), "title": .string($0.text)])
                })
                return .dictionary(d)
            }
            render("print.html", page: ["title": .string(site.config.title), "pages": .array(sections)], path: "print/index.html", url: "/print/")
        }
        return out
    }

    /// Each tag with its page's slug and its pages (newest first), in the order of the tags.
    static func tagPages(_ pages: [Page]) -> [(tag: String, slug: String, pages: [Page])] {
        var byTag: [String: [Page]] = [:]
        for page in listed(pages) { for tag in page.matter.tags { byTag[tag, default: []].append(page) } }
        var slugs = UniqueSlugs()
        return byTag.keys.sorted().map { tag in (tag, slugs.make(Slug.make(tag), fallback: "tag"), byTag[tag]!) }
    }
}
