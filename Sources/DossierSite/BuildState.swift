import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// Everything one run of the pipeline reads and makes, step by step. A value: the
/// preview keeps the state of its last good run and works on a copy, so a failed run
/// leaves nothing half-changed. (The Markdown store is shared between copies; its entries
/// are keyed by source digest, so a failed run's entries are never mistaken for the
/// kept run's.)
struct BuildState: Sendable {
    let options: BuildOptions
    var diagnostics = Diagnostics()
    /// Where files go; nil for `dossier check`.
    var writer: OutputWriter?
    /// Records carry source digests for the next run (the build cache, the preview).
    let keepsRecords: Bool
    /// Every page is checked (a build), or only those rendered in this run (the preview).
    var checksEveryPage: Bool
    /// What changed since the kept run (the preview); nil: read everything.
    var changes: ChangeSet?
    var previous: PreviousRun?
    /// Which pages the render step renders.
    var scope = RenderScope.planned

    enum RenderScope: Sendable {
        /// Every page the rebuild plan says to redo (a build).
        case planned
        /// The preview's quick path: pages read again and those open in a tab (by site
        /// path, `/a/`) now; the others the plan says to redo wait in `deferred`.
        case quick(viewing: Set<String>)
        /// The preview's catch-up after the reload: the deferred pages.
        case deferred
    }

    // load
    var config = SiteConfig()
    var templates: TemplateLibrary?
    var data = DataCatalog()
    var assets: [String] = []
    var dataDigest = ""
    /// Articles (relative to `Content/`) the parse step reads in this run.
    var articles: [String] = []
    private(set) var renderer: PageRenderer!
    /// The bibliography files, read by the load step.
    var bibliographies: Bibliographies?
    /// What `Content/` holds besides datasets, relative to it: the articles (`.md`) and the
    /// files published beside them (`SiteLoader.isPublished`). Relative links in Markdown
    /// resolve against these.
    var contentIndex = ContentIndex()
    /// The interface strings of each language (`Templates/i18n/`).
    var strings = UIStrings()

    // parse
    /// Published pages, sorted by URL; their Markdown's HTML is in `markdown`.
    var pages = UndoableArray<Page>()
    let markdown: MarkdownStore
    var mustValidate = true
    /// The parse step of this run removed or added pages.
    var pagesRemoved = false
    var pagesAdded = false
    /// Source paths of the pages read (and their Markdown rendered) in this run.
    var reparsed: Set<String> = []
    /// Of those, the pages read again because what their links lead to changed (a page
    /// they link to moved, `BuildPipeline.relinkMovedPages`; a file they name appeared):
    /// their source is unchanged, their output is not, so their templates are rendered.
    var relinked: Set<String> = []
    /// The `--baseline`'s published datasets (`data/NAME.json`), for remote data's dates.
    var baselineData: [String: Value] = [:]
    /// Pages by source path, and by layout; made again when the pages move or a page's
    /// layout changes (pages replaced in place keep their indices).
    private(set) var indexBySource: [String: Int] = [:]
    private(set) var indexByOutput: [String: Int] = [:]
    private(set) var pagesByLayout: [String: [Int]] = [:]
    private var indexStale = true

    // resolve data
    struct Summary: Sendable {
        var value: Value
        var digest: String
    }
    /// Each page's short form (`site.pages`), by source path.
    var summaries = UndoableMap<String, Summary>()
    /// `site.pages`: indices into `pages`, newest first, with their short forms'
    /// values and digests, and each source's position.
    var listed: [Int] = []
    var listedSummaries: [Value] = []
    var listedDigests: [String] = []
    var listedPosition: [String: Int] = [:]
    /// Each URL's position in `listed` (for `page.prev`, `page.next`), and each tag's
    /// positions.
    var urlPositions: [String: Int] = [:]
    var tagPositions: [String: [Int]] = [:]
    /// `site.tags`, and `data` as templates see it.
    var tagValues: [String: Value] = [:]
    var dataValues: [String: Value]?
    /// A page came or went, or one's date, URL or tags changed: `listed` is made again.
    var orderStale = true
    var shared: PageRenderer.Shared?
    /// Digest of the list of pages as templates see it.
    var listing = ""

    // render pages
    /// What each layout depends on, by template name (`article.html`).
    var layouts: [String: LayoutDependencies] = [:]
    /// The templates were loaded again: every layout's dependencies are found again.
    var layoutsStale = false
    /// By source path.
    var records = UndoableMap<String, PageRecord>()
    var renderedPages: [Int] = []
    var pagesReused = 0
    /// Source paths of pages the plan redoes after the preview's reload.
    var deferred: Set<String> = []
    /// The ids of the site's own pages (the articles' are in their records), by output path.
    var extraIDs: [String: IDList] = [:]
    /// Pages rendered in this run whose links, headings and ids are what they were (the
    /// preview does not check them again).
    var linksUnchanged: Set<String> = []

    // site pages, assemble, write
    var extra: [ExtraPage] = []
    /// The PDF edition's source (`PDFEdition`), made by the site pages step when the PDF is wanted.
    var pdfSources: [(file: String, html: String)] = []
    /// Whether the last build's PDF was kept (made from the same), once the write step ran.
    var pdfKept: Bool?
    var sitePagesStale = false
    var checksSitePages = true
    var files: [OutputFile] = []
    var paths: Set<String> = []
    var manifest: Manifest?
    /// The sitemaps as last made (one per language), and the site pages they listed (empty: make them again).
    var sitemaps: [OutputFile] = []
    var sitemapFor: [String] = []
    /// A one-off run (a build, a check): the values templates shared are let go once the
    /// last page is rendered, before the checks (the preview keeps them for the next edit).
    var oneOff = false
    /// Asked between steps: true stops the run (the preview, when a newer change waits).
    var shouldStop: (@Sendable () -> Bool)?

    init(options: BuildOptions, writer: OutputWriter?, keepsRecords: Bool, checksEveryPage: Bool = true,
         markdown: MarkdownStore = MarkdownStore()) {
        self.options = options
        self.writer = writer
        self.keepsRecords = keepsRecords
        self.checksEveryPage = checksEveryPage
        self.markdown = markdown
    }

    var plan: RebuildPlan { RebuildPlan(previous: previous, dataDigest: dataDigest) }

    /// What the previous run knew of a page: the build cache's record, or (the preview)
    /// the kept run's, which this run replaces only once it has judged it.
    func previousRecord(_ source: String) -> PageRecord? { previousRecords(source) }

    /// `previousRecord` as a function that holds only what it reads (not the whole state,
    /// whose collections the run goes on changing), for the parse step's threads.
    var previousRecords: @Sendable (String) -> PageRecord? {
        guard let previous else { return { _ in nil } }
        if let cached = previous.records { return { cached[$0] } }
        let kept = records
        return { kept[$0] }
    }

    /// The ids of the page at output path `path`, for `#anchor` checks.
    func ids(at path: String) -> IDList? {
        if let i = indexByOutput[path] { return records[pages[i].sourcePath]?.scan.ids }
        return extraIDs[path]
    }

    // MARK: Runs that can be undone

    /// Starts a run that `rollBack` can undo: the collections changed in place start
    /// noting what they held; everything else is kept in the returned copy.
    mutating func beginRun() -> BuildState {
        pages.begin()
        records.begin()
        summaries.begin()
        var saved = self
        // The copy lets go of the collections changed in place, so they stay unshared.
        saved.pages = UndoableArray()
        saved.records = UndoableMap()
        saved.summaries = UndoableMap()
        return saved
    }

    /// Ends a run that succeeded.
    mutating func commitRun() {
        pages.commit()
        records.commit()
        summaries.commit()
    }

    /// Undoes a run that failed: `saved` (from `beginRun`), and the collections as they were.
    mutating func rollBack(to saved: BuildState) {
        var pages = self.pages, records = self.records, summaries = self.summaries
        self = saved
        pages.rollBack()
        records.rollBack()
        summaries.rollBack()
        self.pages = pages
        self.records = records
        self.summaries = summaries
    }

    /// After loading: the renderer for this configuration, templates and data.
    mutating func makeRenderer() {
        guard let templates else { return }
        renderer = PageRenderer(config: config, templates: templates, data: data, options: options, diagnostics: diagnostics,
                                bibliographies: bibliographies, contentIndex: contentIndex, strings: strings)
    }

    // MARK: Parse helpers

    /// Puts the pages just read in place of what the kept run had for their sources
    /// (nil: gone, a draft, or hidden until its date).
    mutating func merge(_ read: [(source: String, page: Page?)]) {
        reparsed = Set(read.compactMap { $0.page?.sourcePath })
        guard changes != nil else {
            pages.replaceAll(read.compactMap(\.page).sorted { $0.url < $1.url })
            indexStale = true
            return
        }
        makeIndexes()
        var removed: Set<Int> = []
        var added: [Page] = []
        for (source, page) in read {
            let old = indexBySource[source].map { pages[$0] }
            if let old, old.storeKey != page?.storeKey { forget(old) }
            switch (indexBySource[source], page) {
            case (let i?, let page?):
                if page.url != old!.url || page.outputPath != old!.outputPath || page.layout != old!.layout { mustValidate = true }
                if page.url != old!.url || page.matter.date != old!.matter.date || page.matter.tags != old!.matter.tags { orderStale = true }
                if page.url != old!.url || page.matter.date != old!.matter.date || page.matter.updated != old!.matter.updated { sitemaps = [] }
                if page.layout != old!.layout { indexStale = true }
                pages[i] = page
            case (let i?, nil): removed.insert(i)
            case (nil, let page?): added.append(page)
            case (nil, nil): break
            }
        }
        if !removed.isEmpty || !added.isEmpty {
            mustValidate = true
            orderStale = true
            pagesRemoved = !removed.isEmpty
            pagesAdded = !added.isEmpty
            sitemaps = []
            for i in removed { records[pages[i].sourcePath] = nil }
            pages.replaceAll((pages.enumerated().filter { !removed.contains($0.offset) }.map(\.element) + added).sorted { $0.url < $1.url })
            indexStale = true
        }
    }

    /// Makes `indexBySource` and `pagesByLayout` again if the pages moved.
    mutating func makeIndexes() {
        guard indexStale else { return }
        indexBySource = [:]
        indexByOutput = [:]
        pagesByLayout = [:]
        indexBySource.reserveCapacity(pages.count)
        indexByOutput.reserveCapacity(pages.count)
        for (i, page) in pages.enumerated() {
            indexBySource[page.sourcePath] = i
            indexByOutput[page.outputPath] = i
            pagesByLayout[page.layout + ".html", default: []].append(i)
        }
        indexStale = false
    }

    /// Puts the pages in `site.pages` order, with each one's position by source, by URL
    /// and by tag.
    mutating func orderPages() {
        let order = PageRenderer.listedOrder(pages.elements)
        listed = order
        listedSummaries = order.map { summaries[pages[$0].sourcePath]!.value }
        listedDigests = order.map { summaries[pages[$0].sourcePath]!.digest }
        listedPosition = [:]
        urlPositions = [:]
        tagPositions = [:]
        for (position, i) in order.enumerated() {
            let page = pages[i]
            listedPosition[page.sourcePath] = position
            if urlPositions[page.url] == nil { urlPositions[page.url] = position }
            for tag in page.matter.tags { tagPositions[tag, default: []].append(position) }
        }
        orderStale = false
    }

    /// Lets go of what was kept for a page's previous version.
    private mutating func forget(_ page: Page) {
        summaries[page.sourcePath] = nil
        markdown.remove(page.storeKey)
    }

    /// Reads and renders again the Markdown of the pages at `indices`, replacing their
    /// facts (the preview, when the data they draw from changed).
    mutating func reparse(_ indices: [Int]) {
        let fresh = readAgain(indices)
        for (i, page) in zip(indices, fresh) {
            guard let page else { continue }
            summaries[page.sourcePath] = nil
            reparsed.insert(page.sourcePath)
            pages[i] = page
        }
    }

    /// Makes sure the Markdown HTML of the pages at `indices` is in the store: pages whose
    /// facts came from the previous run are read and rendered again.
    mutating func ensureHTML(_ indices: [Int]) {
        let missing = indices.filter { !markdown.contains(pages[$0].storeKey) }
        guard !missing.isEmpty else { return }
        _ = readAgain(missing)
    }

    /// The pages at `indices` read and their Markdown rendered (HTML to the store); an
    /// error if a file changed since the parse step read it.
    private func readAgain(_ indices: [Int]) -> [Page?] {
        let options = options, diagnostics = diagnostics, renderer = renderer!, store = markdown, pages = pages, languages = config.languages
        return indices.parallelMap(threads: options.threads) { i -> Page? in
            let old = pages[i]
            let relative = String(old.sourcePath.dropFirst("Content/".count))
            guard case .success(let article)? = SiteLoader.loadPage(relative, options: options, languages: languages, digest: true, diagnostics: diagnostics),
                article.page.sourceDigest == old.sourceDigest || old.sourceDigest.isEmpty
            else {
                diagnostics.add(.error("\(old.sourcePath) changed while the site was being built; build again", at: SourceLocation(path: old.sourcePath, line: 1)))
                return nil
            }
            var page = article.page
            if old.sourceDigest.isEmpty { page.sourceDigest = "" }
            BuildPipeline.renderMarkdown(&page, article: article, renderer: renderer, store: store, diagnostics: diagnostics)
            return page
        }
    }

    // MARK: Render helpers

    /// Finds the dependencies of layouts not known yet (all of them after the templates
    /// were loaded again); returns those whose templates changed.
    mutating func updateLayouts() -> Set<String> {
        guard let templates else { return [] }
        var changed: Set<String> = []
        for layout in pagesByLayout.keys where layoutsStale || layouts[layout] == nil {
            let dependencies = LayoutDependencies(templates.usage(of: layout))
            if let old = layouts[layout], old.digest != dependencies.digest { changed.insert(layout) }
            layouts[layout] = dependencies
        }
        layoutsStale = false
        return changed
    }

    /// Of the pages whose output the plan keeps, those the output still holds (a build
    /// copies each from the previous output into staging; the preview's folder has them);
    /// the others join `toRender`. Their records carry over.
    mutating func keepPrevious(_ kept: [Int], toRender: inout [Int]) -> [Int] {
        guard let previous, !kept.isEmpty else { toRender += kept; toRender.sort(); return [] }
        let pages = pages, writer = writer, output = options.output
        let ok: [Bool] = kept.parallelMap(threads: options.threads) { i in
            guard let record = previous.records?[pages[i].sourcePath] else { return false }
            guard let writer, writer.mode == .staged else { return true }
            return writer.reuse(record.outputPath, digest: record.outputDigest, from: output)
        }
        var held: [Int] = []
        for (i, reused) in zip(kept, ok) {
            guard reused, let kept = previous.records?[pages[i].sourcePath] else { toRender.append(i); continue }
            records[pages[i].sourcePath] = kept.with(dataDigest: dataDigest)  // unchanged, or not read by this page
            held.append(i)
        }
        toRender.sort()
        return held
    }
}

extension Page {
    /// The Markdown store's and the summaries' key: the source and its digest, so that
    /// what was made from one version of a file is never taken for another's.
    var storeKey: String { sourcePath + "\u{0}" + sourceDigest }

    /// Takes the Markdown facts from the previous run's record.
    mutating func adopt(_ record: PageRecord) {
        rendered = nil  // the record holds the rest, until the page is rendered again
        firstParagraph = record.firstParagraph
        wordCount = record.wordCount
        drawsFromData = record.drawsFromData
    }
}
