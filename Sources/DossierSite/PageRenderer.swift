import DossierCharts
import DossierCite
import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// Renders one page at a time — its Markdown (chart and table blocks resolved against
/// the data), then its template — and the values every template shares. The pipeline's
/// steps decide which pages and run them on every core; errors go to `diagnostics`.
struct PageRenderer: Sendable {
    let config: SiteConfig
    let templates: TemplateLibrary
    let data: DataCatalog
    let options: BuildOptions
    let diagnostics: Diagnostics
    let urls: SiteURLs
    /// What pages can cite (nil: no bibliography files were read).
    let bibliographies: Bibliographies?
    /// The datasets as works to cite (`@data:NAME`).
    let dataReferences: [Reference]
    /// The site's bibliography and the datasets (nil: nothing to cite).
    let siteLibrary: Library?
    /// The articles and files of `Content/`, for relative links in Markdown.
    let contentIndex: ContentIndex
    /// Layouts (by name, without `.html`) that show `page.references` themselves (by that
    /// name: a layout that passes `page` whole to a macro keeps the list in the content).
    let layoutsPlacingReferences: Set<String>
    /// Each language's words and data (by code).
    let languages: [String: LanguageContext]
    /// The interface strings of each language.
    let strings: UIStrings
    private(set) var environment: RenderEnvironment

    /// What a page in one language is rendered with: Dossier's own words in it, and the
    /// data in its words (`translations:` in the datasets' metadata).
    struct LanguageContext: Sendable {
        var markdown = MarkdownText()
        var chart = ChartText()
        var referencesTitle = "References"
        var data: DataCatalog
        var code: String
    }

    init(config: SiteConfig, templates: TemplateLibrary, data: DataCatalog, options: BuildOptions, diagnostics: Diagnostics,
         bibliographies: Bibliographies? = nil, contentIndex: ContentIndex = ContentIndex(), strings: UIStrings = UIStrings()) {
        var languages: [String: LanguageContext] = [:]
        for language in config.languages.all {
            let own = strings.builtIn(language.code)
            languages[language.code] = LanguageContext(markdown: MarkdownText(own), chart: ChartText(own), referencesTitle: own["references_title"] ?? "References",
                                                       data: language.code == config.language ? data : data.translated(to: language.code), code: language.code)
        }
        self.languages = languages
        self.strings = strings
        self.bibliographies = bibliographies
        self.contentIndex = contentIndex
        dataReferences = Self.dataReferences(data)
        if let bibliographies, !bibliographies.site.isEmpty || !dataReferences.isEmpty {
            var library = bibliographies.site
            library.add(dataReferences)
            siteLibrary = library
        } else {
            siteLibrary = nil
        }
        layoutsPlacingReferences = Set(templates.templates.keys.filter { templates.usage(of: $0).paths.contains(["page", "references"]) }
            .map { String($0.dropLast(".html".count)) })
        self.config = config
        self.templates = templates
        self.data = data
        self.options = options
        self.diagnostics = diagnostics
        urls = config.urls
        // `markdownify` formats front matter and data — text from wherever they came —
        // so it is always in cmark's safe mode: `raw_html` is for the articles' bodies.
        var fragment = config.markdownOptions(urls: SiteURLs(baseURL: "/"))
        fragment.allowRawHTML = false
        let markdown = fragment
        environment = RenderEnvironment(strict: options.strict, baseURL: config.baseURL,
                                        markdown: { MarkdownRenderer.renderFragment($0, options: markdown) }, warnings: diagnostics)
        let figures = FigureMaker(data: data, urls: urls, language: languages[config.language])
        environment.functions = [
            "chart": { call in try figures.templateFigure(call, directive: "chart") },
            "table": { call in try figures.templateFigure(call, directive: "table") },
        ]
    }

    /// Renders the Markdown `body` of `page`: its HTML and facts, whether it draws charts
    /// or tables from the data, and the pages (relative to `Content/`) its relative links
    /// lead to.
    /// `lines`: where the lines of a body with includes came from. Warnings come with
    /// their source lines.
    func markdown(_ body: String, of page: Page, lines: Includes.LineMap? = nil) throws(DiagnosticError)
        -> (rendered: RenderedMarkdown, drawsFromData: Bool, linkedPages: [String]) {
        var markdownOptions = config.markdownOptions(urls: urls)
        let language = self.language(page.language)
        markdownOptions.text = language.markdown
        let figures = FigureMaker(data: data, urls: urls, language: language)
        var counts = FigureMaker.Counts()
        let citations = try citationProcessor(for: page)
        // A layout that shows `page.references` places the list itself.
        if layoutsPlacingReferences.contains(page.layout) { citations?.listInContent = false }
        let index = contentIndex, linked = LinkedPages()
        let folder = page.sourcePath.dropFirst("Content/".count).split(separator: "/").dropLast().joined(separator: "/")
        let code = page.language
        let links = RelativeLinks { url in
            guard let target = index.resolve(url, folder: folder, language: code) else { return nil }
            if let page = target.page { linked.paths.insert(page) }
            return target.url
        }
        // Diagnostics quote their line from the body as rendered, then (with includes) move
        // to the file it came from.
        let path = page.sourcePath, firstLine = page.matter.bodyFirstLine
        func located(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
            let text = String(repeating: "\n", count: max(0, firstLine - 1)) + body
            return diagnostics.map { d in lines.map { $0.locate(d.withSource(text), page: path) } ?? d.withSource(text) }
        }
        var rendered: RenderedMarkdown
        do throws(DiagnosticError) {
            rendered = try MarkdownRenderer.render(body, path: path, firstLine: firstLine, options: markdownOptions,
                                                   citations: citations, relativeLinks: links) { directive in
                guard directive.kind != "include" else {
                    throw DiagnosticError(.error("an include block must start at the beginning of a line, outside lists and block quotes",
                                                 at: directive.location))
                }
                return try figures.resolve(directive, counts: &counts)
            }
        } catch {
            throw DiagnosticError(located(error.diagnostics))
        }
        rendered.warnings = located(rendered.warnings)
        if let lines {
            // Links and headings a fragment brought are the page's, at its include block.
            for i in rendered.links.indices { rendered.links[i].location.line = lines.pageLine(rendered.links[i].location.line) }
            for i in rendered.headings.indices { rendered.headings[i].line = lines.pageLine(rendered.headings[i].line) }
        }
        return (rendered, counts.figures + counts.tables > 0, linked.paths.sorted())
    }

    /// The pages one render's links led to (the render runs on one thread).
    private final class LinkedPages: @unchecked Sendable {
        var paths: Set<String> = []
    }

    /// The page's citation processor: its library, its style (front matter's
    /// `citation_style`, else the site's), and whether it lists every entry
    /// (`references: all`); nil when the page has nothing to cite from.
    func citationProcessor(for page: Page) throws(DiagnosticError) -> CitationProcessor? {
        guard let bibliographies else { return nil }
        let fields = page.matter.fields
        var problems: [Diagnostic] = []
        func at(_ key: String) -> SourceLocation { page.matter.locations[key] ?? SourceLocation(path: page.sourcePath, line: 1) }
        var style = config.citationStyle
        if let value = fields["citation_style"] {
            switch SiteConfig.citationStyle(value) {
            case .success(let s): style = s
            case .failure(let problem): problems.append(.error(problem.message, at: at("citation_style")))
            }
        }
        var listAll = false
        if let value = fields["references"] {
            if value.stringValue == "all" { listAll = true } else if value.stringValue != "cited" {
                problems.append(.error("'references' must be 'all' (list every entry of the bibliography) or 'cited' (the default)", at: at("references")))
            }
        }
        // Most pages cite from the site's library, made once; a page naming files of its
        // own gets a library of its own.
        var library = siteLibrary
        if fields["bibliography"] != nil {
            switch bibliographies.library(for: page, text: "") {
            case .success(let l?):
                var own = l
                own.add(dataReferences)
                library = own
            case .success(nil): break
            case .failure(let e): problems += e.diagnostics
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        guard let library else { return nil }
        let processor = CitationProcessor(library: library, style: style, path: page.sourcePath, listAll: listAll)
        processor.referencesTitle = language(page.language).referencesTitle
        if bibliographies.site.isEmpty && fields["bibliography"] == nil { processor.recognises = { $0.hasPrefix("data:") } }
        return processor
    }

    /// The words and data of the language `code` (the site's language for one it does not have).
    func language(_ code: String) -> LanguageContext { languages[code] ?? languages[config.language] ?? LanguageContext(data: data, code: code) }

    /// Each dataset as a work to cite, `@data:NAME`: its title, its source as publisher,
    /// the source's address, the year it was updated.
    static func dataReferences(_ data: DataCatalog) -> [Reference] {
        data.datasets.keys.sorted().map { id in
            let d = data.datasets[id]!
            var r = Reference(key: "data:" + id, kind: .dataset, location: SourceLocation(path: d.path, line: 1))
            r.title = d.title
            r.publisher = d.source?.name
            r.url = d.source?.url
            if let updated = d.updated, let year = Int(updated.prefix(4)), updated.count >= 4 {
                r.issued = DateParts(year: year)
            }
            return r
        }
    }

    /// Pages in the order `site.pages` lists them: newest first (the home page excluded).
    static func listed(_ pages: [Page]) -> [Page] {
        listedOrder(pages).map { pages[$0] }
    }

    /// The indices of `listed(pages)`.
    static func listedOrder(_ pages: [Page]) -> [Int] {
        let keys = pages.map { (date: $0.matter.date, url: $0.url) }
        return pages.indices.filter { !pages[$0].isHome }.sorted { i, j in
            let a = keys[i], b = keys[j]
            switch (a.date, b.date) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.url < b.url
            }
        }
    }

    /// The values every template shares: `site` and `data`; and the listed pages' short
    /// forms in `site.pages` order with each URL's position (for `page.prev` and
    /// `page.next`).
    struct Shared: Sendable {
        var site: Value
        var data: [String: Value]
        var summaries: [Value]
        var positions: [String: Int]
        /// In a site of several languages, the values of each language's pages (`site.pages`
        /// holds only that language's), by code.
        var languages: [String: Shared] = [:]
        /// Each page's versions in every language (`page.translations`), by translation key;
        /// only pages that have a translation.
        var translations: [String: [Value]] = [:]

        /// The values the pages in `code` share.
        func language(_ code: String) -> Shared {
            guard var shared = languages[code] else { return self }
            shared.translations = translations
            return shared
        }
    }

    /// The template context of `page`: `site`, `page` and `data`.
    /// `cite`: the layout reads `page.cite`.
    /// `cited`: the layout reads `page.citations` or `page.references`, and these are the
    /// keys the page cites.
    func context(_ page: Page, summary: Value, content: String, headings: [Heading], shared: Shared, cite: Bool = false,
                 cited: [String]? = nil) -> [String: Value] {
        let shared = shared.language(page.language)
        let position = shared.positions[page.url]
        // In reading order (newest first), "previous" is the newer neighbour.
        let previous = position.flatMap { $0 > 0 ? shared.summaries[$0 - 1] : nil }
        let next = position.flatMap { $0 + 1 < shared.summaries.count ? shared.summaries[$0 + 1] : nil }
        var value = page.templateValue(summary: summary, content: content, headings: headings, previous: previous, next: next)
        if case .dictionary(var d) = value {
            d["translations"] = .array(shared.translations[page.translationKey] ?? [])
            // Its share card: drawn from its first chart, else the site's.
            if let chart = ShareCards.firstChart(in: content) {
                d["share_image"] = .string(urls.url("/" + URLPath.encode(ShareCards.path(for: page.outputPath))))
                d["share_image_alt"] = .string("\(page.matter.title): \(chart.title)")
            } else {
                d["share_image"] = .string(urls.url("/" + ShareCards.siteCard(config, language: page.language)))
                d["share_image_alt"] = .string(config.title(in: page.language))
            }
            value = .dictionary(d)
        }
        if cite || cited != nil, case .dictionary(var d) = value {
            if cite { d["cite"] = PageCitation.value(for: page, config: config) }
            if let cited {
                let processor = try? citationProcessor(for: page)
                processor?.register(cited)
                d["citations"] = .array(cited.compactMap { key in
                    processor?.library[key].map { .dictionary(["key": .string(key), "text": .html($0.entryHTML)]) }
                })
                d["references"] = .html(processor?.referenceListHTML() ?? "")
            }
            value = .dictionary(d)
        }
        return [
            "site": shared.site,
            "page": value,
            "data": .dictionary(shared.data),
        ]
    }

    /// Renders `page`'s layout; the HTML (empty on error) and whether the render was free
    /// of warnings and errors. Each page's warnings are gathered apart first, so that the
    /// rebuild plan knows which pages had any.
    /// The map says where templates wrote each stretch of the HTML.
    func render(_ page: Page, context: [String: Value]) -> (html: String, map: OutputMap?, clean: Bool) {
        var pageEnvironment = environment
        let warnings = Diagnostics()
        pageEnvironment.warnings = warnings
        do throws(DiagnosticError) {
            let (html, map) = try templates.renderMapped(page.layout + ".html", context: context, environment: pageEnvironment)
            let found = warnings.all
            diagnostics.add(contentsOf: found)
            return (html, map, found.isEmpty)
        } catch {
            diagnostics.add(contentsOf: warnings.all)
            diagnostics.add(contentsOf: error.diagnostics.map { d in
                var d = d
                d.notes.append("while rendering \(page.sourcePath)")
                return d
            })
            return ("", nil, false)
        }
    }
}

/// Chart and table figures, from Markdown blocks and from template calls.
struct FigureMaker: Sendable {
    let data: DataCatalog
    let urls: SiteURLs
    /// The page's language: figures are drawn in its words.
    var language: PageRenderer.LanguageContext?

    /// `figure` in the page's language.
    private func translated(_ figure: Figure) -> Figure {
        guard let language, let dataset = language.data.datasets[figure.dataset.id] else { return figure }
        var figure = figure
        figure.translate(to: dataset, scales: language.data.scales, labels: figure.dataset.translations[language.code]?.labels ?? [:], text: language.chart)
        return figure
    }

    /// Figures and tables numbered so far on a page, and the first figure that gave each
    /// dataset's notes, source and licence (later ones refer to it).
    struct Counts {
        var figures = 0
        var tables = 0
        var described: [String: FigureRenderer.Reference] = [:]
    }

    /// `{{ chart({data: "x", type: "heatmap", number: 3}) }}` in a template: the same figure
    /// a Markdown block would draw. `number` sets the figure number (default 1). Its
    /// problems are located at the call in the template.
    func templateFigure(_ call: TemplateCall, directive: String) throws -> Value {
        guard call.arguments.count == 1, case .dictionary(var settings) = call.arguments[0] else {
            throw Diagnostic.error("\(directive)() takes one mapping, e.g. \(directive)({data: \"my-dataset\"\(directive == "chart" ? ", type: \"bar\"" : "")})")
        }
        let number = settings.removeValue(forKey: "number").flatMap(\.numberValue).map { Int($0) } ?? 1
        let here = call.location
        let spec = try ChartSpec.parse(YAMLTree(value: .dictionary(settings), location: here), directive: directive, sourceText: "")
        guard let dataset = data.datasets[spec.data] else {
            throw Diagnostic.error("unknown dataset '\(spec.data)'\(SourceText.didYouMean(spec.data, in: data.datasets.keys))")
        }
        let figure = try Figure(spec: spec, dataset: dataset, scales: data.scales, number: number,
                                csvURL: urls.dataDownload(dataset.id, format: "csv"), jsonURL: urls.dataDownload(dataset.id, format: "json"),
                                at: here, id: "dsr-\(dataset.id)-t\(number)")
        return .html(FigureRenderer.html(translated(figure)))
    }

    /// A ```` ```chart ```` or ```` ```table ```` block → figure HTML.
    func resolve(_ directive: Directive, counts: inout Counts) throws(DiagnosticError) -> DirectiveOutput {
        let padded = String(repeating: "\n", count: directive.bodyFirstLine - 1) + directive.body
        let tree = try YAMLReader.parse(directive.body, path: directive.location.path, firstLine: directive.bodyFirstLine)
        let spec = try ChartSpec.parse(tree, directive: directive.kind, sourceText: padded)
        guard let dataset = data.datasets[spec.data] else {
            let known = data.datasets.keys.sorted().joined(separator: ", ")
            throw DiagnosticError(Diagnostic.error("unknown dataset '\(spec.data)'\(SourceText.didYouMean(spec.data, in: data.datasets.keys)); datasets: \(known.isEmpty ? "none" : known)",
                                                   at: tree["data"]?.location ?? directive.location).withSource(padded))
        }
        let number: Int
        if spec.kind == .table { counts.tables += 1; number = counts.tables } else { counts.figures += 1; number = counts.figures }
        let figure = translated(try Figure(spec: spec, dataset: dataset, scales: data.scales, number: number,
                                           csvURL: urls.dataDownload(dataset.id, format: "csv"), jsonURL: urls.dataDownload(dataset.id, format: "json"),
                                           at: directive.location, id: spec.label))
        let earlier = counts.described[dataset.id]
        if earlier == nil { counts.described[dataset.id] = FigureRenderer.Reference(label: figure.label, id: figure.id) }
        return DirectiveOutput(html: FigureRenderer.html(figure, notesAsFor: earlier), label: spec.label, kind: figure.isTable ? "Table" : "Figure", number: number,
                               name: figure.label)
    }
}
