import DossierCharts
import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// Renders pages: Markdown (with chart and table blocks resolved against the data) and
/// then the page's template. Both steps run on every core; errors go to `diagnostics`.
struct PageRenderer: Sendable {
    let site: LoadedSite
    let options: BuildOptions
    let diagnostics: Diagnostics

    var environment: RenderEnvironment {
        // `markdownify` formats front matter and data — text from wherever they came —
        // so it is always in cmark's safe mode: `raw_html` is for the articles' bodies.
        let markdown = MarkdownOptions(allowRawHTML: false, smartPunctuation: site.config.smartPunctuation)
        var env = RenderEnvironment(strict: options.strict, baseURL: site.config.baseURL,
                                    markdown: { MarkdownRenderer.renderFragment($0, options: markdown) }, warnings: diagnostics)
        let renderer = self
        let basePath = env.basePath
        env.functions = [
            "chart": { arguments in try renderer.templateFigure(arguments, directive: "chart", basePath: basePath) },
            "table": { arguments in try renderer.templateFigure(arguments, directive: "table", basePath: basePath) },
        ]
        return env
    }

    /// `{{ chart({data: "x", type: "heatmap", number: 3}) }}` in a template: the same figure
    /// a Markdown block would draw. `number` sets the figure number (default 1).
    private func templateFigure(_ arguments: [Value], directive: String, basePath: String) throws -> Value {
        guard arguments.count == 1, case .dictionary(var settings) = arguments[0] else {
            throw Diagnostic.error("\(directive)() takes one mapping, e.g. \(directive)({data: \"my-dataset\"\(directive == "chart" ? ", type: \"bar\"" : "")})")
        }
        let number = settings.removeValue(forKey: "number").flatMap(\.numberValue).map { Int($0) } ?? 1
        let here = SourceLocation(path: "template", line: 1)
        let spec = try ChartSpec.parse(YAMLTree(value: .dictionary(settings), location: here), directive: directive, sourceText: "")
        guard let dataset = site.data.datasets[spec.data] else {
            let hint = SourceText.suggestion(for: spec.data, in: site.data.datasets.keys).map { " (did you mean '\($0)'?)" } ?? ""
            throw Diagnostic.error("unknown dataset '\(spec.data)'\(hint)")
        }
        let figure = try Figure(spec: spec, dataset: dataset, scales: site.data.scales, number: number,
                                csvURL: basePath + "/data/\(dataset.id).csv", jsonURL: basePath + "/data/\(dataset.id).json",
                                at: here, id: "dsr-\(dataset.id)-t\(number)")
        return .html(FigureRenderer.html(figure))
    }

    /// Renders the Markdown of `pages` (their `rendered` is filled in). A one-off build
    /// drops each Markdown body once rendered; the preview keeps them to re-render later.
    func renderMarkdown(_ pages: [Page], keepBodies: Bool = true) -> [Page] {
        let basePath = environment.basePath
        let markdownOptions = MarkdownOptions(allowRawHTML: site.config.allowRawHTML, smartPunctuation: site.config.smartPunctuation,
                                              basePath: basePath)
        return pages.parallelMap(threads: options.threads) { page in
            var page = page
            var figures = 0, tables = 0
            do throws(DiagnosticError) {
                page.rendered = try MarkdownRenderer.render(
                    page.matter.body, path: page.sourcePath, firstLine: page.matter.bodyFirstLine, options: markdownOptions
                ) { directive in
                    try resolve(directive, figures: &figures, tables: &tables, basePath: basePath)
                }
                page.drawsFromData = figures + tables > 0
                if !keepBodies { page.matter.body = "" }
            } catch {
                diagnostics.add(contentsOf: error.diagnostics)
            }
            return page
        }
    }

    /// A ```` ```chart ```` or ```` ```table ```` block → figure HTML.
    private func resolve(_ directive: Directive, figures: inout Int, tables: inout Int, basePath: String) throws(DiagnosticError) -> String {
        let padded = String(repeating: "\n", count: directive.bodyFirstLine - 1) + directive.body
        let tree = try YAMLReader.parse(directive.body, path: directive.location.path, firstLine: directive.bodyFirstLine)
        let spec = try ChartSpec.parse(tree, directive: directive.kind, sourceText: padded)
        guard let dataset = site.data.datasets[spec.data] else {
            let hint = SourceText.suggestion(for: spec.data, in: site.data.datasets.keys).map { " (did you mean '\($0)'?)" } ?? ""
            let known = site.data.datasets.keys.sorted().joined(separator: ", ")
            throw DiagnosticError(Diagnostic.error("unknown dataset '\(spec.data)'\(hint); datasets: \(known.isEmpty ? "none" : known)",
                                                   at: tree["data"]?.location ?? directive.location).withSource(padded))
        }
        let number: Int
        if spec.kind == .table { tables += 1; number = tables } else { figures += 1; number = figures }
        let figure = try Figure(spec: spec, dataset: dataset, scales: site.data.scales, number: number,
                                csvURL: basePath + "/data/\(dataset.id).csv", jsonURL: basePath + "/data/\(dataset.id).json",
                                at: directive.location)
        return FigureRenderer.html(figure)
    }

    /// Pages in the order `site.pages` lists them: newest first (the home page excluded).
    static func listed(_ pages: [Page]) -> [Page] {
        pages.filter { $0.url != "/" }.sorted { a, b in
            switch (a.matter.date, b.matter.date) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.url < b.url
            }
        }
    }

    /// The values every template shares: `site` and `data`; and the listed pages' short
    /// forms in `site.pages` order with each URL's position (for `page.prev` and
    /// `page.next`), made once per page.
    typealias Shared = (site: Value, data: [String: Value], summaries: [Value], positions: [String: Int])

    func shared(_ pages: [Page]) -> Shared {
        let basePath = environment.basePath
        let listed = Self.listed(pages)
        let summaries = listed.parallelMap(threads: options.threads) { $0.summaryValue(basePath: basePath) }
        var tags: [String: [Value]] = [:]
        for (page, summary) in zip(listed, summaries) { for tag in page.matter.tags { tags[tag, default: []].append(summary) } }
        let data = DataExport.templateValues(site.data, basePath: basePath)
        let siteValue = site.config.templateValue(pages: summaries, tags: tags.mapValues(Value.array), data: data)
        var positions: [String: Int] = [:]
        for (i, page) in listed.enumerated() where positions[page.url] == nil { positions[page.url] = i }
        return (siteValue, data, summaries, positions)
    }

    /// The template context of every page (or of the pages at `indices`): `site`, `page`
    /// and `data`.
    func contexts(_ pages: [Page], indices: [Int]? = nil) -> [[String: Value]] {
        let context = contextMaker(pages)
        return (indices ?? Array(pages.indices)).map(context)
    }

    /// Makes page contexts one at a time (holding them all at once cost memory on large
    /// sites); the values every page shares are computed once.
    func contextMaker(_ pages: [Page], shared precomputed: Shared? = nil) -> @Sendable (Int) -> [String: Value] {
        let basePath = environment.basePath
        let (siteValue, data, summaries, positions) = precomputed ?? shared(pages)
        return { index in
            let page = pages[index]
            let position = positions[page.url]
            // In reading order (newest first), "previous" is the newer neighbour.
            let previous = position.flatMap { $0 > 0 ? summaries[$0 - 1] : nil }
            let next = position.flatMap { $0 + 1 < summaries.count ? summaries[$0 + 1] : nil }
            return [
                "site": siteValue,
                "page": page.templateValue(basePath: basePath, previous: previous, next: next),
                "data": .dictionary(data),
            ]
        }
    }

    /// The HTML of every page (or of the pages at `indices`), in that order.
    func renderTemplates(_ pages: [Page], indices: [Int]? = nil, shared: Shared? = nil) -> [String] {
        renderTemplates(pages, indices: indices, shared: shared) { _, _, html, _ in html }
    }

    /// Renders every page's template (or those at `indices`) on every core and hands each
    /// result to `consume` at once (index, page, HTML, and whether the render was free of
    /// warnings and errors), keeping only what it returns.
    func renderTemplates<T: Sendable>(_ pages: [Page], indices: [Int]? = nil, shared: Shared? = nil,
                                      consume: @Sendable @escaping (Int, Page, String, Bool) -> T) -> [T] {
        let env = environment
        let selected = indices ?? Array(pages.indices)
        let context = contextMaker(pages, shared: shared)
        let done = Counter()
        return selected.parallelMap(threads: options.threads) { index in
            let page = pages[index]
            defer { options.progress?(done.increment(), selected.count) }
            // Each page's warnings apart first, so a build cache knows which pages had any.
            var pageEnv = env
            let warnings = Diagnostics()
            pageEnv.warnings = warnings
            do throws(DiagnosticError) {
                let html = try site.templates.render(page.layout + ".html", context: context(index), environment: pageEnv)
                let found = warnings.all
                diagnostics.add(contentsOf: found)
                return consume(index, page, html, found.isEmpty)
            } catch {
                diagnostics.add(contentsOf: warnings.all)
                diagnostics.add(contentsOf: error.diagnostics.map { d in
                    var d = d
                    d.notes.append("while rendering \(page.sourcePath)")
                    return d
                })
                return consume(index, page, "", false)
            }
        }
    }
}
