import DossierCore
import DossierTemplates
import Foundation

/// A site kept in memory between builds, so that a change rebuilds only what it affects:
/// an edited article re-renders that page (and, if what lists show of it changed — title,
/// date, summary, word count, tags — the pages whose layouts read the page lists); a
/// template change re-renders the pages whose layouts use it (`TemplateLibrary.usage`);
/// a data change re-renders the pages that draw from data; a new or deleted article
/// updates every list. Only files whose bytes changed are written. Used by `dossier serve`;
/// not thread-safe — call it from one queue.
public final class SiteSession: @unchecked Sendable {
    /// What one (re)build did.
    public struct Outcome: Sendable {
        public var diagnostics: [Diagnostic]
        /// Output paths written or removed.
        public var changedFiles: [String]
        /// Pages whose templates were rendered.
        public var renderedPages: Int
        public var elapsed: Duration
        public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
        /// Only stylesheets changed: a browser can swap them without reloading.
        public var stylesheetsOnly: Bool {
            !changedFiles.isEmpty && changedFiles.allSatisfy { $0.hasSuffix(".css") }
        }
    }

    public let options: BuildOptions
    private var site: LoadedSite?
    /// Pages with their Markdown rendered, sorted by URL.
    private var pages: [Page] = []
    /// Page HTML by output path.
    private var pageHTML: [String: String] = [:]
    private var extra: [ExtraPage] = []
    /// The digest of every file as last written to the output folder.
    private var written: [String: String] = [:]
    /// The quick path skipped the feed, sitemap and site-wide pages; `refreshSecondaryFiles` catches up.
    public private(set) var feedsStale = false

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Builds everything and writes what differs from the output folder's contents.
    public func buildAll() -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let diagnostics = Diagnostics()
        do throws(DiagnosticError) {
            let loaded = try SiteLoader.load(options, diagnostics: diagnostics)
            let renderer = PageRenderer(site: loaded, options: options, diagnostics: diagnostics)
            let rendered = renderer.renderMarkdown(loaded.pages, keepBodies: true)
            let shared = renderer.shared(rendered)
            let html = renderer.renderTemplates(rendered, shared: shared)
            let extraPages = renderer.renderExtraPages(rendered, shared: shared)
            if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }
            site = loaded
            pages = rendered
            pageHTML = Dictionary(zip(rendered.map(\.outputPath), html), uniquingKeysWith: { a, _ in a })
            extra = extraPages
            let changed = try writeAll(diagnostics: diagnostics)
            feedsStale = false
            return Outcome(diagnostics: diagnostics.all, changedFiles: changed, renderedPages: rendered.count + extraPages.count,
                           elapsed: clock.now - start)
        } catch {
            return Outcome(diagnostics: error.diagnostics, changedFiles: [], renderedPages: 0, elapsed: clock.now - start)
        }
    }

    /// Rebuilds after the files at `paths` (relative to the site folder, e.g.
    /// `Content/briefing.md`) changed, were created or were deleted. On error nothing is
    /// written: the last good site stays in place.
    public func update(_ paths: Set<String>) -> Outcome {
        guard let current = site else { return buildAll() }
        let clock = ContinuousClock()
        let start = clock.now
        let diagnostics = Diagnostics()

        let config = paths.contains("Content/" + SiteConfig.fileName)
        let data = paths.contains { $0.hasPrefix("Content/data/") }
        let assets = paths.contains { $0.hasPrefix("Templates/assets/") }
        let templates = paths.contains { $0.hasPrefix("Templates/") && !$0.hasPrefix("Templates/assets/") }
        let articles = paths.filter { $0.hasPrefix("Content/") && $0.hasSuffix(".md") && !$0.hasPrefix("Content/data/") }
        if config { return buildAll() }

        do throws(DiagnosticError) {
            var next = current
            if templates {
                guard let library = SiteLoader.loadTemplates(options, diagnostics: diagnostics) else { throw DiagnosticError(diagnostics.all) }
                next.templates = library
            }
            if data {
                next.data = SiteLoader.loadData(options, diagnostics: diagnostics)
                if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }
            }

            // Articles: reload the changed ones; note whether any list of pages changes.
            var byPath = Dictionary(pages.map { ($0.sourcePath, $0) }, uniquingKeysWith: { a, _ in a })
            var changedSources: Set<String> = []
            var listsChanged = false
            var removedPages = false
            for path in articles.sorted() {
                let relative = String(path.dropFirst("Content/".count))
                let old = byPath[path]
                let full = options.site.appendingPathComponent(path).path
                let exists = FileManager.default.fileExists(atPath: full)
                if exists && !FileTree.isInside(full, root: options.contentPath) {
                    diagnostics.add(.error(FileTree.explain(.leadsOutside, path), at: SourceLocation(path: path, line: 1)))
                    continue
                }
                let loaded = exists ? SiteLoader.loadPage(relative, options: options, diagnostics: diagnostics) : nil
                switch loaded {
                case .success(let page)?:
                    byPath[path] = page
                    changedSources.insert(path)
                    if old == nil || old!.url != page.url || old!.matter.fields != page.matter.fields { listsChanged = true }
                case .failure(let error)?:
                    diagnostics.add(contentsOf: error.diagnostics)
                case nil:
                    if byPath.removeValue(forKey: path) != nil { listsChanged = true; removedPages = true }
                }
            }
            if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }
            var nextPages = byPath.values.sorted { $0.url < $1.url }
            next.pages = nextPages
            SiteLoader.validate(next, options: options, diagnostics: diagnostics)
            if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }

            // Markdown: changed articles, and those that draw charts or tables when data changed.
            let renderer = PageRenderer(site: next, options: options, diagnostics: diagnostics)
            let markdownIndices = nextPages.indices.filter { i in
                changedSources.contains(nextPages[i].sourcePath) || nextPages[i].rendered == nil
                    || (data && nextPages[i].drawsFromData)
            }
            let rendered = renderer.renderMarkdown(markdownIndices.map { nextPages[$0] })
            for (i, page) in zip(markdownIndices, rendered) { nextPages[i] = page }
            if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }
            // Lists show each page's short form: its summary (perhaps the first paragraph),
            // word count and reading time too.
            let oldPages = Dictionary(pages.map { ($0.sourcePath, $0) }, uniquingKeysWith: { a, _ in a })
            let basePath = renderer.environment.basePath
            for i in markdownIndices where oldPages[nextPages[i].sourcePath]?.summaryValue(basePath: basePath) != nextPages[i].summaryValue(basePath: basePath) {
                listsChanged = true
            }

            // Templates: the edited pages; when the lists changed, the pages whose layouts
            // read them; when templates changed, the pages whose layouts use one of them;
            // when data changed, the pages whose layouts read data (those whose Markdown
            // draws from it were rendered above).
            let changedTemplates = Set(paths.filter { $0.hasPrefix("Templates/") && !$0.hasPrefix("Templates/assets/") }
                .map { String($0.dropFirst("Templates/".count)) })
            var affects: [String: Bool] = [:]
            func layoutAffected(_ layout: String) -> Bool {
                if let known = affects[layout] { return known }
                let usage = next.templates.usage(of: layout)
                let hit = (listsChanged && usage.readsPageLists) || (data && usage.readsData)
                    || (templates && (usage.templates.map { !$0.isDisjoint(with: changedTemplates) } ?? true))
                affects[layout] = hit
                return hit
            }
            let edited = Set(markdownIndices)
            let templateIndices = nextPages.indices.filter { edited.contains($0) || layoutAffected(nextPages[$0].layout + ".html") }
            let allTemplates = templates || data
            let shared = renderer.shared(nextPages)
            let html = renderer.renderTemplates(nextPages, indices: templateIndices, shared: shared)
            // A full write (stale files removed, every digest compared) only when templates or
            // data changed or a page went away; otherwise the rendered pages are written now
            // and the pages made from the whole site, the feed and the sitemap just after the
            // reload (`refreshSecondaryFiles`).
            let fullWrite = allTemplates || removedPages
            let nextExtra = fullWrite ? renderer.renderExtraPages(nextPages, shared: shared) : extra
            if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }

            // Commit the new state, then write what changed.
            var nextHTML = pageHTML
            for (i, text) in zip(templateIndices, html) { nextHTML[nextPages[i].outputPath] = text }
            site = next
            pages = nextPages
            pageHTML = nextHTML
            extra = nextExtra
            feedsStale = feedsStale || !fullWrite
            let quick: Set<String>? = fullWrite ? nil : Set(templateIndices.map { nextPages[$0].outputPath })
            let changed = try writeAll(diagnostics: diagnostics, onlyPages: quick, assets: assets, data: data)
            return Outcome(diagnostics: diagnostics.all, changedFiles: changed, renderedPages: templateIndices.count + (fullWrite ? nextExtra.count : 0),
                           elapsed: clock.now - start)
        } catch {
            return Outcome(diagnostics: error.diagnostics, changedFiles: [], renderedPages: 0, elapsed: clock.now - start)
        }
    }

    /// Rewrites what the quick path leaves behind — the feed, the sitemap and the pages made
    /// from the whole site (the print view holds every article) — after the preview has
    /// told the browser to reload, so they never delay the reload.
    @discardableResult
    public func refreshSecondaryFiles() -> [String] {
        guard feedsStale, let site else { return [] }
        feedsStale = false
        let diagnostics = Diagnostics()
        extra = PageRenderer(site: site, options: options, diagnostics: diagnostics).renderExtraPages(pages)
        guard !diagnostics.hasErrors else { return [] }
        var files = SiteBuilder.feedFiles(site: site, pages: pages, extra: extra, diagnostics: diagnostics)
        files += extra.map { OutputFile($0.path, text: $0.html) }
        return (try? write(files)) ?? []
    }

    /// Writes files whose digest differs from what was written before and removes files
    /// that are no longer part of the site. `onlyPages` limits the pages considered (the
    /// quick path for an edited article).
    private func writeAll(diagnostics: Diagnostics, onlyPages: Set<String>? = nil, assets: Bool = true, data: Bool = true) throws(DiagnosticError) -> [String] {
        guard let site else { return [] }
        var files: [OutputFile] = []
        if let onlyPages {
            for path in onlyPages.sorted() { if let html = pageHTML[path] { files.append(OutputFile(path, text: html)) } }
            if assets { files += try SiteBuilder.assets(options, diagnostics: diagnostics) }
            if data { files += SiteBuilder.dataFiles(site) }
            return try write(files)
        }
        let html = pages.map { pageHTML[$0.outputPath] ?? "" }
        files = try SiteBuilder.assemble(site: site, options: options, pages: pages, html: html, extra: extra, diagnostics: diagnostics)
        var changed = try write(files)
        let current = Set(files.map(\.path))
        for stale in written.keys.sorted() where !current.contains(stale) {
            try? FileManager.default.removeItem(at: options.output.appendingPathComponent(stale))
            written.removeValue(forKey: stale)
            changed.append(stale)
        }
        return changed
    }

    /// Writes the files whose bytes differ from what is on disk; returns their paths.
    private func write(_ files: [OutputFile]) throws(DiagnosticError) -> [String] {
        var changed: [String] = []
        for file in files {
            let digest = file.digest
            guard written[file.path] != digest else { continue }
            let target = options.output.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.write(to: target.path)
            } catch {
                throw DiagnosticError(.error("cannot write \(target.path): \(error)"))
            }
            written[file.path] = digest
            changed.append(file.path)
        }
        return changed
    }
}
