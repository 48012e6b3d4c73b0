import DossierCharts
import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// The site as it will be written: every file, in memory, plus what was learnt on the way.
struct RenderedSite {
    /// Every file but the article pages, which were written as they were rendered.
    var files: [OutputFile]
    /// The article pages' digests (build) — empty for `dossier check`, which writes nothing.
    var pageDigests: [String: String]
    /// What the next build may reuse (with a build cache), and how many pages were reused.
    var cacheEntries: [String: BuildCache.Entry] = [:]
    var listing = ""
    var pagesReused = 0
    /// Every output path, pages included.
    var paths: Set<String>
    var pageCount: Int
    /// Datasets as published (`data/NAME.json` values), for the changes report.
    var data: [String: Value]
}

/// The build, as one ordered list of steps:
/// 1. load config, templates, data and articles (every problem collected);
/// 2. render Markdown, resolving chart and table blocks against the data;
/// 3. render each page's template;
/// 4. render the pages made from the whole site (tags, 404, print view);
/// 5. add assets, published data, the feed, sitemap and robots.txt;
/// 6. check links, anchors, images and headings;
/// 7. write into a staging folder with a manifest, then swap it into the output folder.
/// `dossier check` runs steps 1–6 and writes nothing.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) throws(DiagnosticError) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        let diagnostics = Diagnostics()
        trace("start")
        // One build at a time per output folder, from the first read of the previous
        // output to the last write of the cache.
        let lock = try OutputLock(output: options.output, wait: options.waitForLock, waiting: { options.lockWaiting?($0) })
        defer { lock.release() }
        // The previous manifest, read once: the changes report and the build cache need it.
        let previousBytes = FileText.bytes(options.output.appendingPathComponent(Manifest.fileName).path)
        let previous = previousBytes.flatMap(Manifest.parse)
        let previousData = previous.map { previousDatasets(in: options.output, manifest: $0) } ?? [:]
        // Pages go to the staging folder as soon as they are rendered; nothing reaches the
        // output folder unless the whole build succeeds.
        let writer = try OutputWriter(output: options.output)
        let cacheKey = options.cache ? BuildCache.key(options: options) : nil
        var reuse: Reuse?
        if let cacheKey, let previous, let previousBytes {
            if let cache = BuildCache.read(for: options.output), cache.key == cacheKey, cache.manifest == SHA256.hex(previousBytes) {
                reuse = Reuse(cache: cache, previous: previous.files, output: options.output)
            }
        }
        trace("staging and build cache ready")
        let site = try render(options, diagnostics: diagnostics, writer: writer, reuse: reuse, keepCache: cacheKey != nil)
        if options.strict && !diagnostics.warnings.isEmpty { throw DiagnosticError(strictened(diagnostics.all)) }

        // 7. Write the rest and the manifest, then swap the folders.
        let failAfter = options.failAfterWrites.map { max(0, $0 - site.pageDigests.count) }
        var hashes = try writer.writeAll(site.files, threads: options.threads, failAfter: failAfter, keeping: site.paths)
        hashes.merge(site.pageDigests) { a, _ in a }
        trace("written")
        let manifest = Manifest(files: hashes)
        let manifestJSON = manifest.json
        try writer.write(manifestJSON, to: Manifest.fileName)
        BuildCache.remove(for: options.output)  // it describes the output about to be replaced
        try writer.commit()
        trace("swapped")
        if let cacheKey {
            BuildCache(key: cacheKey, listing: site.listing, manifest: SHA256.hex(Array(manifestJSON.utf8)), entries: site.cacheEntries)
                .write(for: options.output)
            trace("cache written")
        }
        let changes = previous.map { ChangeReport.compare(old: $0, new: manifest, oldData: previousData, newData: site.data) }
        var report = BuildReport(pagesWritten: site.pageCount, filesWritten: site.paths.count + 1, elapsed: clock.now - start,
                                 warnings: diagnostics.warnings, output: options.output, changes: changes)
        report.pagesReused = site.pagesReused
        return report
    }

    /// The previous build's cache, checked against this build's key and the output's
    /// manifest, with the output folder that holds its pages.
    struct Reuse {
        var cache: BuildCache
        var previous: [String: String]
        var output: URL
    }

    private static let traceStart = ContinuousClock.now

    /// With `DOSSIER_TRACE` set, prints the time and resident memory after each step (for profiling).
    static func trace(_ label: String) {
        guard ProcessInfo.processInfo.environment["DOSSIER_TRACE"] != nil,
            let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? ""
        let elapsed = ContinuousClock.now - traceStart
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        FileHandle.standardError.write(Data("TRACE \(ms) ms \(label): \(rss)\n".utf8))
    }

    /// Steps 1–6, writing pages into `writer`'s staging folder as they are rendered when
    /// one is given. Throws when any error was found; warnings stay in `diagnostics`.
    static func render(_ options: BuildOptions, diagnostics: Diagnostics, writer: OutputWriter? = nil,
                       reuse: Reuse? = nil, keepCache: Bool = false) throws(DiagnosticError) -> RenderedSite {
        // 1. Load.
        var loaded = try SiteLoader.load(options, diagnostics: diagnostics)
        var pages = loaded.pages
        loaded.pages = []  // the Markdown bodies are let go once rendered, not held for the whole build
        let site = loaded
        trace("loaded")
        let renderer = PageRenderer(site: site, options: options, diagnostics: diagnostics)
        let basePath = renderer.environment.basePath

        // 2. Markdown, on every core — except for pages the build cache knows unchanged,
        // whose headings, links and summary it holds (unless their HTML is needed whole:
        // the feed's pages, and every page when there is a print view; their templates
        // may still be skipped).
        var cached: [Int] = []  // Markdown results from the cache
        var unchanged: [(index: Int, entry: BuildCache.Entry)] = []  // the cache's entry holds (Markdown rendered again or not)
        let dataDigest = keepCache ? BuildCache.dataDigest(options: options) : ""
        if let reuse {
            var needHTML: Set<String> = []
            if site.templates.template(named: "print.html") != nil {
                needHTML = Set(pages.map(\.sourcePath))
            } else if Feeds.absoluteRoot(site.config.baseURL) != nil {
                needHTML = Set(Feeds.feedPages(pages, limit: site.config.feedLimit).map(\.sourcePath))
            }
            for i in pages.indices {
                guard let e = reuse.cache.entries[pages[i].sourcePath], e.sourceDigest == pages[i].sourceDigest,
                    e.outputPath == pages[i].outputPath, !e.drawsFromData || e.dataDigest == dataDigest  // chart and table blocks read the data
                else { continue }
                unchanged.append((i, e))
                if needHTML.contains(pages[i].sourcePath) { continue }
                pages[i].rendered = RenderedMarkdown(html: "", headings: e.headings, links: e.links, firstParagraph: e.firstParagraph,
                                                     wordCount: e.wordCount)
                pages[i].drawsFromData = e.drawsFromData
                cached.append(i)
            }
        }
        let cachedSet = Set(cached)
        renderMarkdown(&pages, indices: pages.indices.filter { !cachedSet.contains($0) }, renderer: renderer)
        trace("markdown")
        let shared = renderer.shared(pages)  // `site` and `data`, built once for every template
        trace("shared values")
        let listing = keepCache ? BuildCache.listing(shared.summaries, threads: options.threads) : ""
        trace("page list")

        // 3. Templates, on every core. Each page is written (when building) and scanned for
        // the checks as soon as it is rendered, so the site's HTML is never all held at
        // once. A cached page keeps its previous HTML when nothing it can see changed.
        var reused: [Int: BuildCache.Entry] = [:]
        // What each layout depends on: the templates it uses, and whether it reads the
        // page lists or the data.
        var layouts: [String: TemplateUsage] = [:]
        if keepCache {
            for layout in Set(pages.map { $0.layout + ".html" }) { layouts[layout] = site.templates.usage(of: layout) }
        }
        if let reuse, let writer {
            let listingChanged = listing != reuse.cache.listing
            let candidates = unchanged.filter { i, e in
                let layout = layouts[pages[i].layout + ".html"]!
                return e.layoutDigest == layout.digest && !(listingChanged && layout.readsPageLists) && !(layout.readsData && e.dataDigest != dataDigest)
            }
            let kept = candidates.parallelMap(threads: options.threads) { _, e -> Bool in
                reuse.previous[e.outputPath] == e.outputDigest && writer.reuse(e.outputPath, digest: e.outputDigest, from: reuse.output)
            }
            for ((i, e), ok) in zip(candidates, kept) where ok { reused[i] = e }
            // Cached pages that must be rendered after all need their Markdown's HTML.
            renderMarkdown(&pages, indices: cached.filter { reused[$0] == nil }, renderer: renderer)
        }
        for i in reused.keys { pages[i].matter.body = "" }
        let failAfter = options.failAfterWrites
        let toRender = pages.indices.filter { reused[$0] == nil }
        let results: [(scan: PageScan, digest: String?, clean: Bool)] = renderer.renderTemplates(pages, indices: toRender, shared: shared) { index, page, html, clean in
            var digest: String?
            if let writer {
                if let failAfter, index >= failAfter {
                    diagnostics.add(.error("injected failure after \(failAfter) files (test)"))
                } else {
                    do throws(DiagnosticError) {
                        digest = try writer.write(OutputFile(page.outputPath, text: html))
                    } catch {
                        diagnostics.add(contentsOf: error.diagnostics)
                    }
                }
            }
            return (PageScan(html), digest, clean)
        }
        var rendered = [(scan: PageScan, digest: String?)](repeating: (PageScan(hrefs: [], srcs: [], ids: [], imagesWithoutAlt: []), nil), count: pages.count)
        var cacheEntries: [String: BuildCache.Entry] = [:]
        for (i, result) in zip(toRender, results) {
            rendered[i] = (result.scan, result.digest)
            if keepCache, result.clean, let digest = result.digest, let r = pages[i].rendered, let layout = layouts[pages[i].layout + ".html"] {
                cacheEntries[pages[i].sourcePath] = BuildCache.Entry(
                    sourceDigest: pages[i].sourceDigest, outputPath: pages[i].outputPath, outputDigest: digest, firstParagraph: r.firstParagraph,
                    wordCount: r.wordCount, drawsFromData: pages[i].drawsFromData, layoutDigest: layout.digest, dataDigest: dataDigest,
                    headings: r.headings, links: r.links, scan: result.scan)
            }
        }
        for (i, e) in reused {
            rendered[i] = (e.scan, e.outputDigest)
            var kept = e
            kept.dataDigest = dataDigest  // unchanged, or not read by this page
            cacheEntries[pages[i].sourcePath] = kept
        }
        trace("templates")

        // 4. Pages made from the whole site.
        let extra = renderer.renderExtraPages(pages, shared: shared)
        trace("extra pages")

        // 5. Everything else the site publishes.
        let files = try assemble(site: site, options: options, pages: pages, html: [], extra: extra, diagnostics: diagnostics)
        trace("assembled")
        if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }
        let paths = Set(files.map(\.path)).union(pages.map(\.outputPath))

        // 6. Check what a reader will click.
        let inputs = zip(pages, rendered).map { page, result in
            LinkChecker.PageInput(outputPath: page.outputPath, url: page.url, scan: result.scan, sourcePath: page.sourcePath,
                                  markdownLinks: page.rendered?.links ?? [], headings: page.rendered?.headings ?? [],
                                  locateInTemplates: { site.templates.locate($0, from: page.layout + ".html") })
        } + extra.filter { $0.template != "print.html" }.map { page in
            // The print view repeats the pages' own content, which is checked where it is written.
            LinkChecker.PageInput(outputPath: page.path, url: page.url, scan: PageScan(page.html), sourcePath: "Output/" + page.path,
                                  markdownLinks: [], headings: [],
                                  locateInTemplates: { site.templates.locate($0, from: page.template) })
        }
        let checker = LinkChecker(basePath: basePath, files: paths, pages: inputs)
        diagnostics.add(contentsOf: checker.check(inputs, threads: options.threads))
        trace("checked")

        var digests: [String: String] = [:]
        for (page, result) in zip(pages, rendered) { if let d = result.digest { digests[page.outputPath] = d } }
        return RenderedSite(files: files, pageDigests: digests, cacheEntries: cacheEntries, listing: listing, pagesReused: reused.count,
                            paths: paths, pageCount: pages.count + extra.count, data: publishedData(site))
    }

    /// Renders the Markdown of the pages at `indices`, in place, on every core.
    private static func renderMarkdown(_ pages: inout [Page], indices: [Int], renderer: PageRenderer) {
        guard !indices.isEmpty else { return }
        let done = renderer.renderMarkdown(indices.map { pages[$0] }, keepBodies: false)
        for (i, page) in zip(indices, done) { pages[i] = page }
    }

    /// Every file of the site but the manifest: assets, pages (those with HTML in `html`;
    /// a build writes pages as it renders them and passes none), extra pages, published
    /// data, feed, sitemap and robots.txt, sorted by path.
    static func assemble(site: LoadedSite, options: BuildOptions, pages: [Page], html: [String],
                         extra: [ExtraPage],
                         diagnostics: Diagnostics, feeds: Bool = true) throws(DiagnosticError) -> [OutputFile] {
        var files: [OutputFile] = try assets(options, diagnostics: diagnostics)
        for (page, text) in zip(pages, html) { files.append(OutputFile(page.outputPath, text: text)) }
        for page in extra { files.append(OutputFile(page.path, text: page.html)) }
        files += dataFiles(site)
        if feeds { files += feedFiles(site: site, pages: pages, extra: extra, diagnostics: diagnostics) }
        files.sort { $0.path < $1.path }
        return files
    }

    static func assets(_ options: BuildOptions, diagnostics: Diagnostics) throws(DiagnosticError) -> [OutputFile] {
        let folder = options.templates.appendingPathComponent("assets")
        let listing = FileTree.files(under: folder.path)
        SiteLoader.report(listing.skipped, in: "Templates/assets", diagnostics: diagnostics)
        let assets = listing.files
        var files: [OutputFile] = []
        for relative in assets {
            guard let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(relative).path) else {
                throw DiagnosticError(.error("cannot read Templates/assets/\(relative)"))
            }
            files.append(OutputFile("assets/" + relative, data: bytes))
        }
        return files
    }

    static func dataFiles(_ site: LoadedSite) -> [OutputFile] {
        site.data.datasets.values.sorted(by: { $0.id < $1.id }).flatMap { dataset in
            [OutputFile("data/\(dataset.id).csv", text: DataExport.csv(dataset)),
             OutputFile("data/\(dataset.id).json", text: DataExport.json(dataset, scales: site.data.scales))]
        }
    }

    static func publishedData(_ site: LoadedSite) -> [String: Value] {
        site.data.datasets.mapValues { DataExport.value($0, scales: site.data.scales, basePath: nil) }
    }

    static func feedFiles(site: LoadedSite, pages: [Page], extra: [ExtraPage],
                          diagnostics: Diagnostics) -> [OutputFile] {
        var files: [OutputFile] = []
        let root = Feeds.absoluteRoot(site.config.baseURL)
        if let root {
            files.append(OutputFile("feed.xml", text: Feeds.atom(config: site.config, root: root, pages: pages)))
            let urls = pages.map { ($0.url, $0.matter.updated ?? $0.matter.date) }
                + extra.filter { $0.path != "404.html" }.map { ($0.url, Optional<Date>.none) }
            files.append(OutputFile("sitemap.xml", text: Feeds.sitemap(root: root, urls: urls)))
        } else {
            diagnostics.add(.warning("base_url '\(site.config.baseURL)' is not absolute, so feed.xml and sitemap.xml were not written; "
                                     + "set an https:// base_url in Content/site.yaml or pass --base-url",
                                     at: SourceLocation(path: "Content/" + SiteConfig.fileName, line: 1)))
        }
        files.append(OutputFile("robots.txt", text: Feeds.robots(root: root)))
        return files
    }

    /// The datasets a previous build published, read back from its `data/*.json`.
    static func previousDatasets(in output: URL, manifest: Manifest) -> [String: Value] {
        var data: [String: Value] = [:]
        for path in manifest.files.keys where path.hasPrefix("data/") && path.hasSuffix(".json") {
            guard let bytes = FileManager.default.contents(atPath: output.appendingPathComponent(path).path),
                let text = String(data: bytes, encoding: .utf8), let tree = try? YAMLReader.parse(text, path: path)
            else { continue }
            data[String(path.dropFirst(5).dropLast(5))] = tree.value
        }
        return data
    }

    /// Under `--strict`, warnings count as errors.
    static func strictened(_ all: [Diagnostic]) -> [Diagnostic] {
        all.map { d in
            var d = d
            d.severity = .error
            return d
        }
    }
}

/// `dossier check`: everything a build validates, and the link checks, without writing.
public enum SiteChecker {
    public struct Result: Sendable {
        public var problems: [Diagnostic]
        public var pages: Int
    }

    public static func check(_ options: BuildOptions) -> Result {
        let diagnostics = Diagnostics()
        do {
            let site = try SiteBuilder.render(options, diagnostics: diagnostics)
            return Result(problems: diagnostics.all, pages: site.pageCount)
        } catch {
            diagnostics.add(contentsOf: error.diagnostics)
            return Result(problems: diagnostics.all, pages: 0)
        }
    }
}
