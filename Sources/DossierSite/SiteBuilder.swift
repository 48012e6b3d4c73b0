import DossierCharts
import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// The site as it will be written: every file, in memory, plus what was learnt on the way.
struct RenderedSite {
    var files: [OutputFile]
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
        let site = try render(options, diagnostics: diagnostics)
        if options.strict && !diagnostics.warnings.isEmpty { throw DiagnosticError(strictened(diagnostics.all)) }

        // 7. Write; the previous output is replaced only once everything is written.
        let previous = Manifest.read(from: options.output)
        let previousData = previous.map { previousDatasets(in: options.output, manifest: $0) } ?? [:]
        let writer = try OutputWriter(output: options.output)
        let hashes = try writer.writeAll(site.files, threads: options.threads, failAfter: options.failAfterWrites)
        trace("written")
        let manifest = Manifest(files: hashes)
        try writer.write(manifest.json, to: Manifest.fileName)
        try writer.commit()
        let changes = previous.map { ChangeReport.compare(old: $0, new: manifest, oldData: previousData, newData: site.data) }
        return BuildReport(pagesWritten: site.pageCount, filesWritten: site.files.count + 1, elapsed: clock.now - start,
                           warnings: diagnostics.warnings, output: options.output, changes: changes)
    }

    static func trace(_ label: String) {
        guard ProcessInfo.processInfo.environment["DOSSIER_TRACE"] != nil,
            let statm = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        let rss = statm.split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? ""
        FileHandle.standardError.write(Data("TRACE \(label): \(rss)\n".utf8))
    }

    /// Steps 1–6. Throws when any error was found; warnings stay in `diagnostics`.
    static func render(_ options: BuildOptions, diagnostics: Diagnostics) throws(DiagnosticError) -> RenderedSite {
        // 1. Load.
        var loaded = try SiteLoader.load(options, diagnostics: diagnostics)
        let sources = loaded.pages
        loaded.pages = []  // the Markdown bodies are let go once rendered, not held for the whole build
        let site = loaded
        trace("loaded")
        let renderer = PageRenderer(site: site, options: options, diagnostics: diagnostics)
        let basePath = renderer.environment.basePath

        // 2–3. Markdown, then templates, on every core.
        let pages = renderer.renderMarkdown(sources, keepBodies: false)
        trace("markdown")
        let html = renderer.renderTemplates(pages)
        trace("templates")

        // 4. Pages made from the whole site.
        let extra = renderer.renderExtraPages(pages)

        // 5. Everything else the site publishes.
        let files = try assemble(site: site, options: options, pages: pages, html: html, extra: extra, diagnostics: diagnostics)
        trace("assembled")
        if diagnostics.hasErrors { throw DiagnosticError(diagnostics.all) }

        // 6. Check what a reader will click.
        let inputs = zip(pages, html).map { page, text in
            LinkChecker.PageInput(outputPath: page.outputPath, url: page.url, html: text, sourcePath: page.sourcePath,
                                  markdownLinks: page.rendered?.links ?? [], headings: page.rendered?.headings ?? [],
                                  locateInTemplates: { site.templates.locate($0, from: page.layout + ".html") })
        } + extra.filter { $0.template != "print.html" }.map { page in
            // The print view repeats the pages' own content, which is checked where it is written.
            LinkChecker.PageInput(outputPath: page.path, url: page.url, html: page.html, sourcePath: "Output/" + page.path,
                                  markdownLinks: [], headings: [],
                                  locateInTemplates: { site.templates.locate($0, from: page.template) })
        }
        let checker = LinkChecker(basePath: basePath, files: Set(files.map(\.path)), pages: inputs)
        diagnostics.add(contentsOf: checker.check(inputs, threads: options.threads))
        trace("checked")

        return RenderedSite(files: files, pageCount: pages.count + extra.count, data: publishedData(site))
    }

    /// Every file of the site but the manifest: assets, pages, extra pages, published data,
    /// feed, sitemap and robots.txt, sorted by path.
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
        var outside: [String] = []
        let folder = options.templates.appendingPathComponent("assets")
        let assets = SiteLoader.files(under: folder, extensions: [], outside: &outside, allExtensions: true)
        for link in outside {
            diagnostics.add(.error("Templates/assets/\(link) is a link that leads outside the site folder; refusing to copy it"))
        }
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
