import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// The build, as one list of named steps over one `BuildState`:
///
/// 1. **load** — `site.yaml`, templates, assets, data, and which articles to read;
/// 2. **parse** — each article read, its front matter checked, its Markdown rendered
///    (chart and table blocks drawn from the data) unless the rebuild plan has it from
///    the previous run; then no two sources may share an output path;
/// 3. **resolve data** — the values every template shares: `site` (with `site.pages`,
///    `site.tags`), `data`, and whether the list of pages changed;
/// 4. **render pages** — each page's template, for the pages the plan says to redo;
/// 5. **site pages** — the pages made from the whole site: tags, 404, print view;
/// 6. **assemble** — assets, published data, the feed, sitemap and robots.txt;
/// 7. **check** — links, anchors, images and headings, as a reader would meet them;
/// 8. **write** — through `OutputWriter`, which alone touches the output folder.
///
/// `dossier build` runs every step; `dossier check` every step but `write`; `dossier
/// serve` runs them after each change, with the state of the last good run kept in
/// memory (`SiteSession`). Errors stop the run at the end of the step that found them,
/// with every error of that step; `DOSSIER_TRACE=1` prints each step's time and memory.
enum BuildPipeline {
    enum Step: String, CaseIterable, Sendable {
        case load, parse
        case resolveData = "resolve data"
        case renderPages = "render pages"
        case sitePages = "site pages"
        case assemble, check, write
    }

    /// Runs `steps` in order on `state`.
    static func run(_ steps: [Step], on state: inout BuildState) throws(DiagnosticError) {
        for step in steps {
            if state.shouldStop?() == true { throw DiagnosticError([]) }  // the preview: a newer change is waiting
            let start = ContinuousClock.now
            switch step {
            case .load: try load(&state)
            case .parse: parse(&state)
            case .resolveData: resolveData(&state)
            case .renderPages: try renderPages(&state)
            case .sitePages: try sitePages(&state)
            case .assemble: try assemble(&state)
            case .check: check(&state)
            case .write: try write(&state)
            }
            Trace.step(step.rawValue, since: start)
            if step != .check, state.diagnostics.hasErrors { throw DiagnosticError(state.diagnostics.all) }
        }
    }

    // MARK: 1. Load

    static func load(_ s: inout BuildState) throws(DiagnosticError) {
        let options = s.options, diagnostics = s.diagnostics
        s.relinked = []
        guard let changes = s.changes else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: options.content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DiagnosticError(.error("no Content/ folder in \(options.site.path): is --site pointing at a Dossier site?"))
            }
            if let problem = BuildOptions.sourceDateEpochProblem() { diagnostics.add(.error(problem)) }
            s.config = SiteLoader.loadConfig(options, diagnostics: diagnostics)
            if s.writer?.mode == .live { s.config.pdf = false }  // the preview makes no PDF, so links none
            s.templates = SiteLoader.loadTemplates(options, diagnostics: diagnostics)
            s.strings = UIStrings.load(templates: options.templates, languages: s.config.languages, diagnostics: diagnostics)
            s.assets = assetList(options, diagnostics: diagnostics)
            let content = SiteLoader.contentFiles(options, diagnostics: diagnostics)
            s.data = SiteLoader.loadData(options, files: content.data, diagnostics: diagnostics, baselineData: s.baselineData)
            if s.keepsRecords { s.dataDigest = BuildCache.dataDigest(options: options, data: s.data) }
            s.articles = content.articles
            s.contentIndex = ContentIndex(articles: Set(content.articles), files: Set(content.files), routes: s.previous?.routes ?? [:],
                                          languages: s.config.languages)
            s.bibliographies = Bibliographies(contentPath: options.contentPath, diagnostics: diagnostics)
            if s.templates == nil { throw DiagnosticError(diagnostics.all) }
            s.makeRenderer()
            return
        }
        // What the site makes itself (tag pages, assets, data downloads) may now clash
        // with a page's output path: the parse step checks the paths again.
        if !changes.templates.isEmpty || changes.assets || changes.data { s.mustValidate = true }
        if !changes.templates.isEmpty {
            s.templates = SiteLoader.loadTemplates(options, diagnostics: diagnostics)
            s.layoutsStale = true
        }
        if changes.assets { s.assets = assetList(options, diagnostics: diagnostics) }
        if changes.data {
            s.data = SiteLoader.loadData(options, diagnostics: diagnostics)
            s.dataDigest = BuildCache.dataDigest(options: options, data: s.data)
        }
        // Files beside the pages that came, went or changed.
        var appeared = false
        for path in changes.files {
            let relative = String(path.dropFirst("Content/".count))
            if FileManager.default.fileExists(atPath: options.contentPath + "/" + relative) {
                appeared = s.contentIndex.files.insert(relative).inserted || appeared
            } else {
                s.contentIndex.files.remove(relative)
            }
        }
        s.articles = []
        var including: Set<String> = []
        for path in changes.articles.sorted() {
            let relative = String(path.dropFirst("Content/".count))
            // A fragment: the pages that include it are read again.
            if Includes.isHeadless(relative) {
                for page in s.pages.elements where page.includes.contains(relative) { including.insert(String(page.sourcePath.dropFirst("Content/".count))) }
                continue
            }
            if FileManager.default.fileExists(atPath: options.contentPath + "/" + relative) {
                appeared = s.contentIndex.articles.insert(relative).inserted || appeared
            } else {
                s.contentIndex.articles.remove(relative)
            }
            let full = options.site.path + "/" + path
            if FileManager.default.fileExists(atPath: full) && !FileTree.isInside(full, root: options.contentPath) {
                diagnostics.add(.error(FileTree.explain(.leadsOutside, path), at: SourceLocation(path: path, line: 1)))
            } else {
                s.articles.append(String(path.dropFirst("Content/".count)))  // a deleted file is found gone by parse
            }
        }
        s.articles += including.subtracting(s.articles).sorted()
        // A file or page that appeared may be what a page's relative link, left as
        // written, names: those pages are read again.
        if appeared {
            let index = s.contentIndex
            for page in s.pages.elements where !s.articles.contains(String(page.sourcePath.dropFirst("Content/".count))) {
                let links = page.rendered?.decoded.links ?? s.records[page.sourcePath]?.links ?? []
                let folder = page.sourcePath.dropFirst("Content/".count).split(separator: "/").dropLast().joined(separator: "/")
                if links.contains(where: { index.resolve($0.url, folder: folder, language: page.language) != nil }) {
                    s.articles.append(String(page.sourcePath.dropFirst("Content/".count)))
                    s.relinked.insert(page.sourcePath)
                }
            }
        }
        if s.templates == nil { throw DiagnosticError(diagnostics.all) }
        s.makeRenderer()
    }

    /// `Templates/assets/`, what its walk skipped reported.
    static func assetList(_ options: BuildOptions, diagnostics: Diagnostics) -> [String] {
        let listing = FileTree.files(under: options.templates.path + "/assets")
        SiteLoader.report(listing.skipped, in: "Templates/assets", diagnostics: diagnostics)
        return listing.files
    }

    // MARK: 2. Parse

    static func parse(_ s: inout BuildState) {
        let renderer = s.renderer!, plan = s.plan, store = s.markdown, options = s.options, diagnostics = s.diagnostics
        let languages = s.config.languages
        let previous = s.previousRecords
        let digest = s.keepsRecords, incremental = s.changes != nil, relinked = s.relinked
        s.pagesAdded = false
        s.pagesRemoved = false
        let read: [(source: String, page: Page?, failed: Bool)] = s.articles.parallelMap(threads: options.threads) { relative in
            let source = "Content/" + relative
            guard FileManager.default.fileExists(atPath: options.contentPath + "/" + relative) || !incremental else { return (source, nil, false) }
            switch SiteLoader.loadPage(relative, options: options, languages: languages, digest: digest, diagnostics: diagnostics) {
            case .success(let article)?:
                var page = article.page
                if !relinked.contains(source), let record = plan.markdownHolds(for: page, record: previous(page.sourcePath)) {
                    page.adopt(record)
                } else {
                    renderMarkdown(&page, article: article, renderer: renderer, store: store, diagnostics: diagnostics)
                }
                return (source, page, false)
            case .failure(let error)?:
                diagnostics.add(contentsOf: error.diagnostics)
                return (source, nil, true)
            case nil:
                return (source, nil, false)  // a draft, or dated in the future
            }
        }
        s.articles = []
        s.merge(read.filter { !$0.failed }.map { ($0.source, $0.page) })
        // Pages kept from the last run whose Markdown no longer holds (the data they draw
        // from changed) are read again.
        if s.changes?.data == true {
            let stale = s.pages.indices.filter { s.pages[$0].drawsFromData && plan.markdownHolds(for: s.pages[$0], record: s.records[s.pages[$0].sourcePath]) == nil }
            if !stale.isEmpty { s.reparse(stale) }
        }
        relinkMovedPages(&s)
        if s.mustValidate, let templates = s.templates {
            SiteLoader.validate(s.pages.elements, config: s.config, templates: templates, data: s.data, assets: s.assets, diagnostics: diagnostics)
            s.mustValidate = false
        }
    }

    /// Relative links to pages were resolved with the URLs known before this run read
    /// the pages (`ContentIndex.routes`: the last run's); when a page's own URL (`slug:`,
    /// `url:`) came, went or changed, the pages whose links lead to it are rendered again.
    static func relinkMovedPages(_ s: inout BuildState) {
        let languages = s.config.languages
        let routes = ContentIndex.routes(of: s.pages.elements, languages: languages)
        guard routes != s.contentIndex.routes else { return }
        let moved = Set(routes.keys).union(s.contentIndex.routes.keys).filter { routes[$0] != s.contentIndex.routes[$0] }
        s.contentIndex.routes = routes
        s.makeRenderer()
        let records = s.records, cached = s.previous?.records
        let stale = s.pages.indices.filter { i in
            let page = s.pages[i]
            // A page whose facts came from its record has its links there.
            let linked = page.rendered != nil ? page.linkedPages : (records[page.sourcePath] ?? cached?[page.sourcePath])?.decoded.linkedPages ?? []
            // (A link to a translated page names the original or its translation.)
            return linked.contains { moved.contains($0) || moved.contains(ContentIndex.translationRoute(languages.split($0).path, page.language)) }
        }
        if !stale.isEmpty {
            s.reparse(stale)
            s.relinked.formUnion(stale.map { s.pages[$0].sourcePath })
        }
    }

    /// Renders `page`'s Markdown (`article`'s body), keeping its facts on the page and its
    /// HTML in `store`.
    static func renderMarkdown(_ page: inout Page, article: SiteLoader.Article, renderer: PageRenderer, store: MarkdownStore,
                               diagnostics: Diagnostics) {
        do throws(DiagnosticError) {
            var (rendered, draws, linked) = try renderer.markdown(article.body, of: page, lines: article.lines)
            store.put(rendered.html, for: page.storeKey)
            rendered.html = ""
            page.firstParagraph = Page.summaryCut(rendered.firstParagraph)
            page.wordCount = rendered.wordCount
            page.linkedPages = linked
            page.rendered = MarkdownFacts(headings: rendered.headings, links: rendered.links, cited: rendered.cited, linkedPages: linked,
                                          path: page.sourcePath)
            page.drawsFromData = draws
            // A page that names its own bibliography files is rendered again by every
            // build: the cache's key covers only the site's (`BuildCache.key`).
            page.markdownClean = rendered.warnings.isEmpty && page.matter.fields["bibliography"] == nil
            diagnostics.add(contentsOf: rendered.warnings)
        } catch {
            diagnostics.add(contentsOf: error.diagnostics)
        }
    }

    // MARK: 3. Resolve data

    /// The short forms of the pages read in this run; `site.pages` in its order; and the
    /// values every template shares — each made again only when something in it changed.
    static func resolveData(_ s: inout BuildState) {
        s.makeIndexes()
        let urls = s.config.urls
        let pages = s.pages
        let fresh = s.reparsed.compactMap { s.indexBySource[$0] }
        let made = fresh.parallelMap(threads: s.options.threads) { i -> BuildState.Summary in
            let value = pages[i].summaryValue(urls: urls)
            return BuildState.Summary(value: value, digest: SHA256.hex(Array(JSONText.encode(value).utf8)))
        }
        var changed: [Int] = []
        for (i, summary) in zip(fresh, made) where s.summaries[pages[i].sourcePath]?.digest != summary.digest {
            s.summaries[pages[i].sourcePath] = summary
            changed.append(i)
        }
        // Templates see a page's fields through its short form from here on.
        for i in fresh { s.pages[i].matter.fields = [:] }
        var retag: Set<String>? = []  // nil: every tag
        if s.orderStale {
            s.orderPages()
            retag = nil
        } else {
            for i in changed {
                guard let position = s.listedPosition[pages[i].sourcePath], let summary = s.summaries[pages[i].sourcePath] else { continue }
                s.listedSummaries[position] = summary.value
                s.listedDigests[position] = summary.digest
                retag?.formUnion(pages[i].matter.tags)
            }
        }
        let dataChanged = s.dataValues == nil || s.changes?.data == true
        if dataChanged { s.dataValues = DataExport.templateValues(s.data, urls: urls) }
        guard s.shared == nil || retag == nil || !changed.isEmpty || dataChanged else { return }
        let listed = s.listedSummaries
        if let retag {
            for tag in retag { s.tagValues[tag] = .array((s.tagPositions[tag] ?? []).map { listed[$0] }) }
        } else {
            s.tagValues = s.tagPositions.mapValues { .array($0.map { listed[$0] }) }
        }
        let references = s.bibliographies?.templateValue ?? []
        s.shared = PageRenderer.Shared(site: s.config.templateValue(pages: listed, tags: s.tagValues, data: s.dataValues!, references: references,
                                                                    strings: s.strings.strings(s.config.language)),
                                       data: s.dataValues!, summaries: listed, positions: s.urlPositions)
        var listing = s.listedDigests
        if s.config.languages.isMultilingual {
            languageValues(&s, references: references)
            // A translation that came or went changes its pages' alternates.
            listing.append(SHA256.hex(Array(JSONText.encode(.dictionary(s.shared!.translations.mapValues { .array($0) })).utf8)))
        }
        s.listing = SHA256.hex(Array(listing.joined(separator: "\n").utf8))
    }

    /// In a site of several languages: each language's `site` (its pages, tags, title,
    /// strings and data in its words) and every page's versions in the other languages.
    static func languageValues(_ s: inout BuildState, references: [Value]) {
        let config = s.config, urls = config.urls
        let translations = config.languages.translations(of: s.pages).mapValues { group in
            group.map { page -> Value in
                .dictionary(["language": .string(page.language), "name": .string(config.languages.language(page.language)?.name ?? page.language),
                             "url": .string(urls.url(page.url)), "title": .string(page.matter.title)])
            }
        }
        var languages: [String: PageRenderer.Shared] = [:]
        for code in config.languages.codes {
            var summaries: [Value] = [], positions: [String: Int] = [:], tags: [String: [Value]] = [:]
            for (position, i) in s.listed.enumerated() where s.pages[i].language == code {
                let value = s.listedSummaries[position]
                if positions[s.pages[i].url] == nil { positions[s.pages[i].url] = summaries.count }
                summaries.append(value)
                for tag in s.pages[i].matter.tags { tags[tag, default: []].append(value) }
            }
            let strings = s.strings
            let data = code == config.language ? s.dataValues!
                : DataExport.templateValues(s.renderer.language(code).data, urls: urls) { strings.site("wording_column", in: code, ["column": $0]) }
            let site = config.templateValue(pages: summaries, tags: tags.mapValues { .array($0) }, data: data, references: references,
                                            language: code, strings: s.strings.strings(code))
            languages[code] = PageRenderer.Shared(site: site, data: data, summaries: summaries, positions: positions)
        }
        s.shared!.languages = languages
        s.shared!.translations = translations
    }

    // MARK: 4. Render pages

    static func renderPages(_ s: inout BuildState) throws(DiagnosticError) {
        let plan = s.plan
        let listingChanged = plan.listingChanged(s.listing)
        s.makeIndexes()
        let changedLayouts = s.updateLayouts()
        // A build judges every page; the preview only those the change can reach.
        let candidates: [Int]
        switch s.scope {
        case .planned:
            candidates = Array(s.pages.indices)
        case .quick:
            candidates = plan.candidates(reparsed: s.reparsed.compactMap { s.indexBySource[$0] }, pagesByLayout: s.pagesByLayout,
                                         layouts: s.layouts, changedLayouts: changedLayouts, listingChanged: listingChanged,
                                         dataChanged: s.changes?.data == true)
        case .deferred:
            candidates = []
        }
        var kept: [Int] = []
        var toRender: [Int] = []
        for i in candidates {
            let page = s.pages[i]
            if !s.relinked.contains(page.sourcePath), let layout = s.layouts[page.layout + ".html"],
                plan.outputHolds(for: page, record: s.previousRecord(page.sourcePath), layout: layout, listingChanged: listingChanged) != nil {
                kept.append(i)
            } else {
                toRender.append(i)
            }
        }
        switch s.scope {
        case .planned:
            kept = s.keepPrevious(kept, toRender: &toRender)
        case .quick(let viewing) where s.changes?.templates.isEmpty != false && s.changes?.data != true:
            // An article edit: the pages read again, and the others a reader has open, now;
            // the pages that list it after the reload. (A template or data change renders
            // every page it reaches now.)
            let pages = s.pages, reparsed = s.reparsed
            let waiting = s.deferred.compactMap { s.indexBySource[$0] }
            let now = Set(toRender.filter { reparsed.contains(pages[$0].sourcePath) || viewing.contains(pages[$0].url) }
                + waiting.filter { viewing.contains(pages[$0].url) })
            s.deferred.formUnion(toRender.filter { !now.contains($0) }.map { pages[$0].sourcePath })
            for i in now { s.deferred.remove(pages[i].sourcePath) }
            toRender = now.sorted()
        case .quick:
            let waiting = s.deferred.compactMap { s.indexBySource[$0] }
            s.deferred = []
            toRender = Array(Set(toRender + waiting)).sorted()
        case .deferred:
            toRender = s.deferred.compactMap { s.indexBySource[$0] }.sorted()
            s.deferred = []
        }
        s.ensureHTML(toRender)
        let rendered = renderTemplates(s, indices: toRender)
        s.linksUnchanged = []
        for (i, result) in zip(toRender, rendered) {
            let source = s.pages[i].sourcePath
            if let record = result, let before = s.records[source], before.details == record.details {
                s.linksUnchanged.insert(source)
            }
            s.records[source] = result
            s.pages[i].rendered = nil  // its record holds the facts now
        }
        s.renderedPages = toRender
        s.pagesReused = kept.count
    }

    /// Renders the templates of the pages at `indices` on every core; each page goes to
    /// the writer and is scanned for the checks as soon as it is rendered, so the site's
    /// HTML is never all held at once. Returns each page's record (nil on error).
    private static func renderTemplates(_ s: BuildState, indices: [Int]) -> [PageRecord?] {
        let renderer = s.renderer!, pages = s.pages.elements, store = s.markdown, writer = s.writer, diagnostics = s.diagnostics
        let shared = s.shared!, summaries = s.summaries, dataDigest = s.dataDigest, layouts = s.layouts, options = s.options
        let records = s.records, cached = s.previous?.records
        // The templates each layout renders with, in the order template spots count them.
        var used: [String: [Template]] = [:]
        for i in indices where used[s.pages[i].layout] == nil { used[s.pages[i].layout] = s.templates!.templatesUsed(by: s.pages[i].layout + ".html") }
        let templatesUsed = used
        let done = Counter()
        return indices.parallelMap(threads: options.threads) { index -> PageRecord? in
            let page = pages[index]
            defer { options.progress?(done.increment(), indices.count) }
            // The Markdown's facts: from this run's parse, or from the page's record.
            let kept = records[page.sourcePath] ?? cached?[page.sourcePath]
            guard let summary = summaries[page.sourcePath], page.rendered != nil || kept != nil else { return nil }
            let facts = page.rendered?.decoded ?? kept!.decoded
            let headings = facts.headings, links = facts.links
            let content = store.html(for: page.storeKey) ?? ""
            let layout = layouts[page.layout + ".html"]
            let (html, map, clean) = renderer.render(page, context: renderer.context(page, summary: summary.value, content: content,
                                                                                    headings: headings, shared: shared, cite: layout?.readsCite ?? false,
                                                                                    cited: layout?.readsCitations == true ? facts.cited : nil))
            let file = OutputFile(page.outputPath, text: html)
            var digest = file.digest
            if let writer {
                do throws(DiagnosticError) { digest = try writer.write(file) } catch { diagnostics.add(contentsOf: error.diagnostics) }
            }
            return PageRecord(sourcePath: page.sourcePath, sourceDigest: page.sourceDigest, outputPath: page.outputPath, outputDigest: digest,
                              firstParagraph: page.firstParagraph, wordCount: page.wordCount, drawsFromData: page.drawsFromData,
                              layoutDigest: layouts[page.layout + ".html"]?.digest ?? "", dataDigest: dataDigest,
                              headings: headings, links: links, scan: PageScan(html, map: map, templates: templatesUsed[page.layout] ?? []),
                              cited: facts.cited, linkedPages: facts.linkedPages, clean: clean && page.markdownClean)
        }
    }

    // MARK: 5. Site pages

    static func sitePages(_ s: inout BuildState) throws(DiagnosticError) {
        if s.templates?.template(named: "print.html") != nil { s.ensureHTML(Array(s.pages.indices)) }
        let summaries = s.summaries, store = s.markdown, urls = s.config.urls, records = s.records
        let summary: (Page) -> Value = { summaries[$0.sourcePath]?.value ?? $0.summaryValue(urls: urls) }
        let content: (Page) -> String = { store.html(for: $0.storeKey) ?? "" }
        let headings: (Page) -> [Heading] = { page in page.rendered?.headings ?? records[page.sourcePath]?.headings ?? [] }
        s.extra = s.renderer.renderExtraPages(s.pages.elements, shared: s.shared!, summary: summary, content: content, headings: headings)
        s.pdfSources = []
        // The PDF edition, one per language: a build that writes (the preview does not make one).
        if s.config.pdf, let writer = s.writer, writer.mode == .staged {
            guard s.templates?.template(named: PDFEdition.template) != nil else {
                throw DiagnosticError(.error("the PDF edition needs a template, Templates/\(PDFEdition.template) (the bundled briefing has one to start from)"))
            }
            guard PDFEdition.engine() != nil else { throw DiagnosticError(.error(PDFEdition.missingEngine)) }
            if s.templates?.template(named: "print.html") == nil { s.ensureHTML(Array(s.pages.indices)) }
            for code in s.config.languages.codes where s.pages.contains(where: { $0.language == code }) {
                guard let html = s.renderer.renderPDFSource(s.pages.elements, language: code, shared: s.shared!, summary: summary, content: content,
                                                            headings: headings) else { continue }
                s.pdfSources.append((PDFEdition.fileName(s.config, language: code),
                                     PDFEdition.footnotesAtPageFoot(PDFEdition.rewrite(html, basePath: urls.basePath, staging: writer.stagingPath,
                                                                                       absoluteRoot: urls.absoluteRoot))))
            }
            if s.pdfSources.isEmpty {
                s.diagnostics.add(.warning("no PDF edition was written: the build has no pages to put in one (drafts, future-dated and "
                                           + "expired pages are left out without --drafts, --future, --expired)",
                                           at: SourceLocation(path: "Content/" + SiteConfig.fileName, line: 1)))
            }
        }
        s.extraIDs = [:]
        for page in s.extra where page.template != "print.html" { s.extraIDs[page.path] = page.scan.ids }
        s.sitePagesStale = false
    }

    // MARK: 6. Assemble

    /// A redirect page at each of a page's `aliases` (meta refresh, `rel=canonical`, a link to
    /// follow by hand, `noindex`); one where the site already writes a file is an error at
    /// the page's `aliases`. Listed in the manifest, never in the sitemap.
    static func redirects(_ s: BuildState, taken: Set<String>) -> [OutputFile] {
        var out: [OutputFile] = [], written: [String: String] = [:]
        for page in s.pages {
            for alias in page.matter.aliases {
                let path = alias.hasSuffix(".html") ? String(alias.dropFirst()) : String(alias.dropFirst()) + "index.html"
                let at = page.matter.locations["aliases"] ?? SourceLocation(path: page.sourcePath, line: 1)
                if taken.contains(path) || written[path] != nil {
                    s.diagnostics.add(.error("the alias '\(alias)' is where \(written[path].map { "the alias of \($0)" } ?? "the site writes a page or file") (\(path)): remove it or move that page",
                                             at: at))
                    continue
                }
                written[path] = page.sourcePath
                let target = s.config.urls.url(page.url), absolute = s.config.urls.absolute(page.url)
                let title = HTML.escape(page.matter.title)
                let html = """
                    <!DOCTYPE html>
                    <html lang="\(HTML.escape(page.language))">
                    <head>
                    <meta charset="utf-8">
                    <title>\(title)</title>
                    <link rel="canonical" href="\(HTML.escape(absolute))">
                    <meta name="robots" content="noindex">
                    <meta http-equiv="refresh" content="0; url=\(HTML.escape(target))">
                    </head>
                    <body>
                    <p>\(HTML.escape(s.strings.site("moved", in: page.language))) <a href="\(HTML.escape(target))">\(title)</a>.</p>
                    </body>
                    </html>

                    """
                out.append(OutputFile(path, text: html))
            }
        }
        return out
    }

    /// While the site's own pages wait (the preview's quick path), only the assets.
    static func assemble(_ s: inout BuildState) throws(DiagnosticError) {
        var files: [OutputFile] = []
        let folder = s.options.templates.appendingPathComponent("assets")
        for relative in s.assets {
            guard let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(relative).path) else {
                throw DiagnosticError(.error("cannot read Templates/assets/\(relative)"))
            }
            files.append(OutputFile("assets/" + relative, data: bytes))
        }
        if s.sitePagesStale {
            s.files = files
            s.paths.formUnion(files.map(\.path))
            if s.pagesAdded { s.paths.formUnion(s.pages.map(\.outputPath)) }
            return
        }
        for page in s.extra { files.append(OutputFile(page.path, text: page.html)) }
        // Files beside the pages, at their own paths; one the site makes itself is an error.
        var made = Set(files.map(\.path)).union(s.pages.map(\.outputPath))
        if s.config.pdf { made.formUnion(pdfFiles(s)) }
        if s.layouts.values.contains(where: \.readsShareCards) {
            made.formUnion(s.config.languages.codes.map { ShareCards.siteCard(s.config, language: $0) })
            for page in s.pages { made.insert(ShareCards.path(for: page.outputPath)) }
        }
        for relative in s.contentIndex.files.sorted() {
            guard !made.contains(relative) else {
                s.diagnostics.add(.error("Content/\(relative) would be published where the site writes a file of its own (\(relative)): rename it",
                                         at: SourceLocation(path: "Content/" + relative, line: 1)))
                continue
            }
            guard let bytes = FileManager.default.contents(atPath: s.options.contentPath + "/" + relative) else {
                s.diagnostics.add(.error("cannot read Content/\(relative)", at: SourceLocation(path: "Content/" + relative, line: 1)))
                continue
            }
            files.append(OutputFile(relative, data: bytes))
        }
        files += redirects(s, taken: made.union(files.map(\.path)))
        for dataset in s.data.datasets.values.sorted(by: { $0.id < $1.id }) {
            files.append(OutputFile("data/\(dataset.id).csv", text: DataExport.csv(dataset)))
            files.append(OutputFile("data/\(dataset.id).json", text: DataExport.json(dataset, scales: s.data.scales)))
        }
        files += feedFiles(&s)
        // "Cite this" downloads beside each page whose layout shows `page.cite`.
        for page in s.pages where s.layouts[page.layout + ".html"]?.readsCite == true {
            files += PageCitation.files(for: page, config: s.config)
        }
        files.sort { $0.path < $1.path }
        s.files = files
        s.paths = Set(files.map(\.path)).union(s.pages.map(\.outputPath))
        if s.config.pdf { s.paths.formUnion(pdfFiles(s)) }  // made by the write step
    }

    /// The PDF editions: one for each language that has pages.
    static func pdfFiles(_ s: BuildState) -> [String] {
        let present = Set(s.pages.map(\.language))
        return s.config.languages.codes.filter(present.contains).map { PDFEdition.fileName(s.config, language: $0) }
    }

    /// The feed and sitemap (with an absolute base URL) and robots.txt.
    private static func feedFiles(_ s: inout BuildState) -> [OutputFile] {
        var files: [OutputFile] = []
        let root = s.config.urls.absoluteRoot
        let languages = s.config.languages
        // Each language its own feed and sitemap (`ko/feed.xml`, `ko/sitemap.xml`).
        let codes = languages.isMultilingual ? languages.codes.filter { code in s.pages.contains { $0.language == code } || code == languages.defaultCode } : [s.config.language]
        if let root {
            let store = s.markdown
            for code in codes {
                let pages = languages.isMultilingual ? s.pages.elements.filter { $0.language == code } : s.pages.elements
                let feed = Feeds.feedPages(pages, limit: s.config.feedLimit)
                let sources = Set(feed.map(\.sourcePath))
                s.ensureHTML(s.pages.indices.filter { sources.contains(s.pages[$0].sourcePath) })
                files.append(OutputFile(languages.path("feed.xml", in: code),
                                        text: Feeds.atom(config: s.config, root: root, pages: pages, language: code) { store.html(for: $0.storeKey) ?? "" }))
            }
            // Made again only when a page came or went or one's URL or dates changed.
            let extraPaths = s.extra.map(\.path)
            if s.sitemaps.isEmpty || s.sitemapFor != extraPaths {
                s.sitemaps = sitemaps(s, root: root, codes: codes)
                s.sitemapFor = extraPaths
            }
            files += s.sitemaps
        } else {
            s.diagnostics.add(.warning("base_url '\(s.config.baseURL)' is not absolute, so feed.xml and sitemap.xml were not written; "
                                       + "set an https:// base_url in Content/site.yaml or pass --base-url",
                                       at: SourceLocation(path: "Content/" + SiteConfig.fileName, line: 1)))
        }
        files.append(OutputFile("robots.txt", text: Feeds.robots(root: root, basePath: s.config.urls.basePath,
                                                                  sitemaps: codes.map { languages.path("sitemap.xml", in: $0) })))
        return files
    }

    /// A sitemap per language: its pages and site pages, each page with its versions in
    /// the other languages as alternates.
    private static func sitemaps(_ s: BuildState, root: String, codes: [String]) -> [OutputFile] {
        let languages = s.config.languages
        var alternates: [String: [(language: String, url: String)]] = [:]
        for group in languages.translations(of: s.pages).values {
            for page in group { alternates[page.url] = group.map { ($0.language, $0.url) } }
        }
        return codes.map { code in
            let pages = s.pages.filter { !languages.isMultilingual || $0.language == code }
            let extra = s.extra.filter { page in
                guard page.path != "404.html" else { return false }
                let owner = languages.codes.first { $0 != languages.defaultCode && page.path.hasPrefix($0 + "/") } ?? languages.defaultCode
                return !languages.isMultilingual || owner == code
            }
            let urls = pages.map { ($0.url, $0.matter.updated ?? $0.matter.date) } + extra.map { ($0.url, Optional<Date>.none) }
            return OutputFile(languages.path("sitemap.xml", in: code), text: Feeds.sitemap(root: root, urls: urls, alternates: alternates))
        }
    }

    // MARK: 7. Check

    /// Every page's links and headings (or, in the preview, those rendered in this run:
    /// the others were checked when they were), and the site pages but the print view,
    /// which repeats the pages' own content.
    static func check(_ s: inout BuildState) {
        if s.oneOff {
            // Nothing renders a template from here on: what they shared is let go.
            s.summaries = UndoableMap()
            s.listedSummaries = []
            s.tagValues = [:]
            s.shared = nil
        }
        let templates = s.templates!
        // The preview re-checks a page whose links are those it had only if pages came or went.
        let recheck = s.checksEveryPage || s.pagesAdded || s.pagesRemoved
        let pages = (s.checksEveryPage ? Array(s.pages.indices) : s.renderedPages).filter { i in
            s.records[s.pages[i].sourcePath] != nil && (recheck || !s.linksUnchanged.contains(s.pages[i].sourcePath))
        }
        let extra = s.checksSitePages ? s.extra.filter { $0.template != "print.html" } : []
        guard !pages.isEmpty || !extra.isEmpty else { return }
        let state = s
        let ids = IDMemo { state.ids(at: $0) }  // each target's ids decoded once per check
        let checker = LinkChecker(urls: s.config.urls, files: s.paths, ids: { ids.ids(at: $0) })
        // Each page's details are decoded as it is checked, not all at once, and what it
        // finds is collected at once (the collector sorts in the end).
        let diagnostics = s.diagnostics
        _ = pages.parallelMap(threads: s.options.threads) { i -> Bool in
            let page = state.pages[i], details = state.records[page.sourcePath]!.decoded
            diagnostics.add(contentsOf: checker.check(LinkChecker.PageInput(outputPath: page.outputPath, url: page.url, scan: details.scan, sourcePath: page.sourcePath,
                                                       markdownLinks: details.links, headings: details.headings,
                                                       locate: { templates.locate($0, renderedFrom: page.layout + ".html") })))
            return true
        }
        for page in extra {
            s.diagnostics.add(contentsOf: checker.check(LinkChecker.PageInput(
                outputPath: page.path, url: page.url, scan: page.scan, sourcePath: "Output/" + page.path, markdownLinks: [],
                headings: [], locate: { templates.locate($0, renderedFrom: page.template) })))
        }
    }

    // MARK: 8. Write

    static func write(_ s: inout BuildState) throws(DiagnosticError) {
        if s.options.strict && !s.diagnostics.warnings.isEmpty {
            throw DiagnosticError(s.diagnostics.all.map { d in
                var d = d
                d.severity = .error  // under --strict, warnings count as errors
                return d
            })
        }
        guard let writer = s.writer else { return }
        var digests = try writer.writeAll(s.files, threads: s.options.threads, keeping: s.paths)
        // Live (the preview), the files wait in the writer: the session commits them.
        guard writer.mode == .staged else { return }
        for page in s.pages { if let record = s.records[page.sourcePath] { digests[page.outputPath] = record.outputDigest } }
        if s.layouts.values.contains(where: \.readsShareCards) {
            let start = ContinuousClock.now
            for file in try shareCards(s, staging: writer.stagingPath) { digests[file.path] = try writer.write(file) }
            Trace.step("share cards", since: start)
        }
        // After the cards, not beside them: both use every core, and the PDF's parts wait for one another.
        if !s.pdfSources.isEmpty {
            let start = ContinuousClock.now
            var allKept = true, problems: [Diagnostic] = []
            for (edition, result) in zip(s.pdfSources, pdfEditions(s, staging: writer.stagingPath, digests: digests)) {
                switch result {
                case .success(let made):
                    digests[edition.file] = SHA256.hex(made.bytes)
                    allKept = allKept && made.kept
                case .failure(let error): problems += error.diagnostics
                }
            }
            if !problems.isEmpty { throw DiagnosticError(problems) }
            s.pdfKept = allKept
            Trace.step("PDF edition", since: start)
        }
        s.manifest = Manifest(files: digests)
        try writer.write(s.manifest!.json, to: Manifest.fileName)
        BuildCache.remove(for: s.options.output)  // it describes the output about to be replaced
        try writer.commit()
    }
}

extension BuildPipeline {
    /// The PDF editions, one engine per language's edition side by side, the longest first
    /// and the others yielding to it (it is laid out in parts on every core, and spares
    /// one now and then); each is kept from the last build when unchanged (a scheduled rebuild).
    static func pdfEditions(_ s: BuildState, staging path: String, digests: [String: String]) -> [Result<(bytes: [UInt8], kept: Bool), DiagnosticError>] {
        let options = s.options, staging = URL(fileURLWithPath: path, isDirectory: true)
        let parts = PDFEdition.parts(threads: options.threads)
        let longest = s.pdfSources.indices.max { s.pdfSources[$0].html.utf8.count < s.pdfSources[$1].html.utf8.count }
        let editions = s.pdfSources.enumerated().map { (file: $0.element.file, html: $0.element.html, yielding: $0.offset != longest) }
        return editions.parallelMap(threads: options.threads) { edition in
            let previous = options.cache ? options.output.appendingPathComponent(edition.file) : nil
            do throws(DiagnosticError) {
                return .success(try PDFEdition.make(source: edition.html, staging: staging, file: edition.file, digests: digests, previous: previous,
                                                    parts: parts, partLength: options.pdfPartLength, yielding: edition.yielding))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The share cards: the site's, and one for each page whose HTML (staged: rendered now
    /// or kept) names its own card, drawn from the page's first chart.
    static func shareCards(_ s: BuildState, staging: String) throws(DiagnosticError) -> [OutputFile] {
        let config = s.config, present = Set(s.pages.map(\.language))
        var cards: [(path: String, svg: String)] = config.languages.codes.filter { $0 == config.language || present.contains($0) }.map { code in
            (ShareCards.siteCard(config, language: code), ShareCards.svg(siteTitle: config.title(in: code), description: config.description(in: code)))
        }
        for page in s.pages {
            let path = ShareCards.path(for: page.outputPath)
            let url = s.config.urls.url("/" + URLPath.encode(path))
            guard let bytes = FileText.bytes(staging + "/" + page.outputPath) else { continue }
            let html = String(decoding: bytes, as: UTF8.self)
            guard html.contains("\"" + url + "\"") || s.config.urls.absoluteRoot.map({ html.contains("\"" + $0 + url.dropFirst(s.config.urls.basePath.count) + "\"") }) == true,
                  let chart = ShareCards.firstChart(in: html) else { continue }
            cards.append((path, ShareCards.svg(siteTitle: config.title(in: page.language), title: page.matter.title, chart: chart.svg)))
        }
        let pngs = try ShareCards.rasterise(cards, cache: ShareCards.cacheLocation(for: s.options.output), threads: s.options.threads)
        return cards.map { OutputFile($0.path, data: Data(pngs[$0.path]!)) }
    }
}

/// With `DOSSIER_TRACE` set, each step's time, the time since the start and the resident
/// memory go to standard error (`TRACE 1406 ms parse 1010 ms: VmRSS: 234808 kB`).
enum Trace {
    nonisolated(unsafe) private static var start = ContinuousClock.now
    static let enabled = ProcessInfo.processInfo.environment["DOSSIER_TRACE"] != nil

    /// Times from here (a build's start).
    static func begin() { if enabled { start = ContinuousClock.now } }

    static func step(_ label: String, since stepStart: ContinuousClock.Instant) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let rss = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS") }.map { $0.replacingOccurrences(of: "\t", with: " ") } ?? ""
        FileHandle.standardError.write(Data("TRACE \(milliseconds(now - start)) ms \(label) \(milliseconds(now - stepStart)) ms: \(rss)\n".utf8))
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}

/// The ids of the pages `#anchor` links point at, decoded from their records once each.
final class IDMemo: @unchecked Sendable {
    private let find: @Sendable (String) -> IDList?
    private var known: [String: IDList?] = [:]
    private let lock = NSLock()

    init(_ find: @escaping @Sendable (String) -> IDList?) {
        self.find = find
    }

    func ids(at path: String) -> IDList? {
        lock.lock()
        if let found = known[path] {
            lock.unlock()
            return found
        }
        lock.unlock()
        let found = find(path)
        lock.lock()
        known[path] = found
        lock.unlock()
        return found
    }
}
