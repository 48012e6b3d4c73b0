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
    /// In a site of several languages, each language has its own tag pages and print
    /// view (under `/ko/`); the 404 page is the default language's.
    func renderExtraPages(_ pages: [Page], shared: Shared, summary: (Page) -> Value, content: (Page) -> String,
                          headings: (Page) -> [Heading]) -> [ExtraPage] {
        let languages = config.languages
        guard languages.isMultilingual else {
            return renderExtraPages(pages, language: config.language, shared: shared, summary: summary, content: content, headings: headings)
        }
        // The print view of each language is the others' translation.
        let present = languages.codes.filter { code in pages.contains { $0.language == code } }
        let printed: [Value] = present.map { code in
            .dictionary(["language": .string(code), "name": .string(languages.language(code)?.name ?? code),
                         "url": .string(urls.url(languages.root(code) + "print/")), "title": .string(config.title(in: code))])
        }
        return languages.codes.flatMap { code in
            renderExtraPages(pages.filter { $0.language == code }, language: code, shared: shared.language(code), summary: summary, content: content,
                             headings: headings, printTranslations: present.count > 1 ? printed : [])
        }
    }

    private func renderExtraPages(_ pages: [Page], language code: String, shared: Shared, summary: (Page) -> Value, content: (Page) -> String,
                                  headings: (Page) -> [Heading], printTranslations: [Value] = []) -> [ExtraPage] {
        var out: [ExtraPage] = []
        let languages = config.languages, strings = self.strings
        func render(_ template: String, page: [String: Value], path: String, url: String) {
            let path = languages.path(path, in: code), url = code == languages.defaultCode ? url : "/" + code + url
            var pageValue: [String: Value] = [
                "title": "", "summary": "", "content": .html(""), "toc": [], "tags": [], "authors": [],
                "word_count": 0, "reading_time": 0, "prev": .null, "next": .null, "layout": .string(String(template.dropLast(5))),
                "url": .string(urls.url(url)),
                "share_image": .string(urls.url("/" + ShareCards.siteCard(config, language: code))), "share_image_alt": .string(config.title(in: code)),
                "language": .string(code), "translations": [],
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
                    "title": .string(strings.site("tag_title", in: code, ["tag": tag])), "tag": .string(tag),
                    "pages": .array(tagged.map(summary)),
                ], path: "tags/\(slug)/index.html", url: "/tags/\(URLPath.encode(slug))/")
            }
        }
        if templates.template(named: "404.html") != nil, code == languages.defaultCode {
            render("404.html", page: ["title": .string(strings.site("not_found_title", in: code))], path: "404.html", url: "/404.html")
        }
        if templates.template(named: "print.html") != nil {
            render("print.html", page: ["title": .string(config.title(in: code)), "translations": .array(printTranslations), "pages": .array(printSections(pages, summary: summary, content: content, headings: headings))],
                   path: "print/index.html", url: "/print/")
        }
        return out
    }

    /// The PDF edition's source: `pdf.html` with the print view's sections, the date of
    /// the newest page and the build's date (nil, with the error reported, when it fails).
    /// `language`: the edition of the pages in that language (each language has its own).
    func renderPDFSource(_ pages: [Page], language code: String? = nil, shared: Shared, summary: (Page) -> Value, content: (Page) -> String,
                         headings: (Page) -> [Heading]) -> String? {
        let code = code ?? config.language
        let pages = pages.filter { $0.language == code }, shared = shared.language(code), author = config.author(in: code)
        let newest = pages.compactMap { $0.matter.updated ?? $0.matter.date }.max()
        let page: [String: Value] = [
            "title": .string(config.title(in: code)), "summary": .string(config.description(in: code)), "content": .html(""), "toc": [], "tags": [],
            "authors": author.isEmpty ? [] : [.string(author)], "layout": "pdf", "url": .string(urls.url(config.languages.root(code))),
            "language": .string(code),
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
            if a.isHome != b.isHome { return a.isHome }
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
        for page in pages.filter(\.isHome) + listed(pages) { for tag in page.matter.tags { byTag[tag, default: []].append(page) } }
        var slugs = UniqueSlugs()
        return byTag.keys.sorted().map { tag in (tag, slugs.make(Slug.make(tag), fallback: "tag"), byTag[tag]!) }
    }
}
