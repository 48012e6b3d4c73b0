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
    let writer: OutputWriter?
    /// Records carry source digests for the next run (the build cache, the preview).
    let keepsRecords: Bool
    /// Every page is checked (a build), or only those rendered in this run (the preview).
    var checksEveryPage: Bool
    /// What changed since the kept run (the preview); nil: read everything.
    var changes: ChangeSet?
    var previous: PreviousRun?

    // load
    var config = SiteConfig()
    var templates: TemplateLibrary?
    var data = DataCatalog()
    var assets: [String] = []
    var dataDigest = ""
    /// Articles (relative to `Content/`) the parse step reads in this run.
    var articles: [String] = []
    private(set) var renderer: PageRenderer!

    // parse
    /// Published pages, sorted by URL; their Markdown's HTML is in `markdown`.
    var pages: [Page] = []
    let markdown: MarkdownStore
    var mustValidate = true
    /// The parse step of this run removed or added pages.
    var pagesRemoved = false
    var pagesAdded = false

    // resolve data
    struct Summary: Sendable {
        var value: Value
        var digest: String
    }
    /// Each page's short form (`site.pages`), by `Page.storeKey`.
    var summaries: [String: Summary] = [:]
    var shared: PageRenderer.Shared?
    /// Digest of the list of pages as templates see it.
    var listing = ""

    // render pages
    var layouts: [String: LayoutDependencies] = [:]
    /// By source path.
    var records: [String: PageRecord] = [:]
    var renderedPages: [Int] = []
    var pagesReused = 0

    // site pages, assemble, write
    var extra: [ExtraPage] = []
    var sitePagesStale = false
    var checksSitePages = true
    var files: [OutputFile] = []
    var paths: Set<String> = []
    var manifest: Manifest?

    init(options: BuildOptions, writer: OutputWriter?, keepsRecords: Bool, checksEveryPage: Bool = true,
         markdown: MarkdownStore = MarkdownStore()) {
        self.options = options
        self.writer = writer
        self.keepsRecords = keepsRecords
        self.checksEveryPage = checksEveryPage
        self.markdown = markdown
    }

    var plan: RebuildPlan { RebuildPlan(previous: previous, dataDigest: dataDigest) }

    /// After loading: the renderer for this configuration, templates and data.
    mutating func makeRenderer() {
        guard let templates else { return }
        renderer = PageRenderer(config: config, templates: templates, data: data, options: options, diagnostics: diagnostics)
    }

    // MARK: Parse helpers

    /// Puts the pages just read in place of what the kept run had for their sources
    /// (nil: gone, a draft, or hidden until its date).
    mutating func merge(_ read: [(source: String, page: Page?)]) {
        guard changes != nil else {
            pages = read.compactMap(\.page).sorted { $0.url < $1.url }
            return
        }
        var index: [String: Int] = [:]
        for (i, page) in pages.enumerated() { index[page.sourcePath] = i }
        var removed: Set<Int> = []
        var added: [Page] = []
        for (source, page) in read {
            let old = index[source].map { pages[$0] }
            if let old, old.storeKey != page?.storeKey { forget(old) }
            switch (index[source], page) {
            case (let i?, let page?):
                if page.url != old!.url || page.outputPath != old!.outputPath || page.layout != old!.layout { mustValidate = true }
                pages[i] = page
            case (let i?, nil): removed.insert(i)
            case (nil, let page?): added.append(page)
            case (nil, nil): break
            }
        }
        guard !removed.isEmpty || !added.isEmpty else { return }
        mustValidate = true
        pagesRemoved = !removed.isEmpty
        pagesAdded = !added.isEmpty
        pages = (pages.enumerated().filter { !removed.contains($0.offset) }.map(\.element) + added).sorted { $0.url < $1.url }
    }

    /// Lets go of what was kept for a page's previous version.
    private mutating func forget(_ page: Page) {
        summaries.removeValue(forKey: page.storeKey)
        markdown.remove(page.storeKey)
    }

    /// Reads and renders again the Markdown of the pages at `indices`, replacing their
    /// facts (the preview, when the data they draw from changed).
    mutating func reparse(_ indices: [Int]) {
        let fresh = readAgain(indices)
        for (i, page) in zip(indices, fresh) {
            guard let page else { continue }
            summaries.removeValue(forKey: page.storeKey)
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
        let options = options, diagnostics = diagnostics, renderer = renderer!, store = markdown, pages = pages
        return indices.parallelMap(threads: options.threads) { i -> Page? in
            let old = pages[i]
            let relative = String(old.sourcePath.dropFirst("Content/".count))
            guard case .success(let article)? = SiteLoader.loadPage(relative, options: options, digest: true, diagnostics: diagnostics),
                article.page.sourceDigest == old.sourceDigest || old.sourceDigest.isEmpty
            else {
                diagnostics.add(.error("\(old.sourcePath) changed while the site was being built; build again", at: SourceLocation(path: old.sourcePath, line: 1)))
                return nil
            }
            var page = article.page
            if old.sourceDigest.isEmpty { page.sourceDigest = "" }
            BuildPipeline.renderMarkdown(&page, body: article.body, renderer: renderer, store: store, diagnostics: diagnostics)
            return page
        }
    }

    // MARK: Render helpers

    /// Of the pages whose output the plan keeps, those the output still holds (a build
    /// copies each from the previous output into staging; the preview's folder has them);
    /// the others join `toRender`. Their records carry over.
    mutating func keepPrevious(_ kept: [Int], toRender: inout [Int]) -> [Int] {
        guard let previous, !kept.isEmpty else { toRender += kept; toRender.sort(); return [] }
        let pages = pages, writer = writer, output = options.output
        let ok: [Bool] = kept.parallelMap(threads: options.threads) { i in
            guard let record = previous.records[pages[i].sourcePath] else { return false }
            guard let writer, writer.mode == .staged else { return true }
            return writer.reuse(record.outputPath, digest: record.outputDigest, from: output)
        }
        var held: [Int] = []
        for (i, reused) in zip(kept, ok) {
            guard reused, var record = previous.records[pages[i].sourcePath] else { toRender.append(i); continue }
            record.dataDigest = dataDigest  // unchanged, or not read by this page
            records[pages[i].sourcePath] = record
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
        rendered = RenderedMarkdown(html: "", headings: record.headings, links: record.links, firstParagraph: record.firstParagraph,
                                    wordCount: record.wordCount)
        drawsFromData = record.drawsFromData
    }
}
