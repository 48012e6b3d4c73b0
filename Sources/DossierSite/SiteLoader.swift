import DossierCore
import DossierData
import DossierTemplates
import Foundation

/// Everything a build reads, loaded and validated.
struct LoadedSite: Sendable {
    var config: SiteConfig
    var templates: TemplateLibrary
    var data: DataCatalog
    /// Published pages, sorted by URL.
    var pages: [Page]
}

/// Reads the site folder: config, templates, data, articles. Every problem in every file
/// is collected; loading fails once, at the end, with all of them.
enum SiteLoader {
    static func load(_ options: BuildOptions, diagnostics: Diagnostics) throws(DiagnosticError) -> LoadedSite {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: options.content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticError(.error("no Content/ folder in \(options.site.path): is --site pointing at a Dossier site?"))
        }
        if let problem = BuildOptions.sourceDateEpochProblem() { diagnostics.add(.error(problem)) }
        let config = loadConfig(options, diagnostics: diagnostics)
        let templates = loadTemplates(options, diagnostics: diagnostics)
        let content = contentFiles(options, diagnostics: diagnostics)
        let data = loadData(options, files: content.data, diagnostics: diagnostics)
        let loaded = content.articles.parallelMap(threads: options.threads) { loadPage($0, options: options, diagnostics: diagnostics) }
        var pages: [Page] = []
        for result in loaded {
            switch result {
            case .success(let page)?: pages.append(page)
            case .failure(let error)?: diagnostics.add(contentsOf: error.diagnostics)
            case nil: break
            }
        }
        guard let templates else { throw DiagnosticError(diagnostics.all) }
        let site = LoadedSite(config: config, templates: templates, data: data, pages: pages.sorted { $0.url < $1.url })
        validate(site, options: options, diagnostics: diagnostics)
        guard !diagnostics.hasErrors else { throw DiagnosticError(diagnostics.all) }
        return site
    }

    static func loadConfig(_ options: BuildOptions, diagnostics: Diagnostics) -> SiteConfig {
        let configPath = "Content/" + SiteConfig.fileName
        var config = SiteConfig()
        switch readText(options.content.appendingPathComponent(SiteConfig.fileName).path, display: configPath, diagnostics: diagnostics) {
        case .success(let text):
            config = diagnostics.capture { try SiteConfig.load(text: text, path: configPath) } ?? config
        case .failure(.missing):
            diagnostics.add(.error("missing \(configPath) (the site's title, base_url, language, description, author)"))
        case .failure(let failure):
            diagnostics.add(.error("\(configPath) \(failure.explanation)", at: SourceLocation(path: configPath, line: 1)))
        }
        if let base = options.baseURL {
            if let problem = URLPath.baseURLProblem(base) { diagnostics.add(.error("--base-url \(problem)")) }
            config.baseURL = base.hasSuffix("/") ? base : base + "/"
        }
        return config
    }

    static func loadTemplates(_ options: BuildOptions, diagnostics: Diagnostics) -> TemplateLibrary? {
        diagnostics.capture { try TemplateLibrary.load(directory: options.templates, displayPrefix: "Templates") }
    }

    static func loadData(_ options: BuildOptions, files: [String], diagnostics: Diagnostics) -> DataCatalog {
        var dataFiles: [String: String] = [:]
        for relative in files {
            let path = "Content/" + relative
            switch readText(options.contentPath + "/" + relative, display: path, diagnostics: diagnostics) {
            case .success(let text): dataFiles[path] = text
            case .failure(let failure): diagnostics.add(.error("the file \(failure.explanation)", at: SourceLocation(path: path, line: 1)))
            }
        }
        return diagnostics.capture { try DataCatalog.load(files: dataFiles) } ?? DataCatalog()
    }

    /// What a file under `Content/data/` must end with to be read as data.
    static let dataExtensions: Set<String> = ["csv", "yaml", "yml", "json"]

    /// The datasets alone (the preview, after a change under `Content/data/`).
    static func loadData(_ options: BuildOptions, diagnostics: Diagnostics) -> DataCatalog {
        let listing = FileTree.files(under: options.contentPath + "/data", extensions: dataExtensions)
        report(listing.skipped, in: "Content/data", diagnostics: diagnostics)
        return loadData(options, files: listing.files.map { "data/" + $0 }, diagnostics: diagnostics)
    }

    /// Every file under `Content/`, split into articles (`.md` outside `data/`) and
    /// datasets (`data/*.csv|yaml|yml|json`), paths relative to `Content/`; what the walk
    /// skipped is reported.
    static func contentFiles(_ options: BuildOptions, diagnostics: Diagnostics) -> (articles: [String], data: [String]) {
        let listing = FileTree.files(under: options.contentPath, reportHidden: dataExtensions.union(["md"]))
        report(listing.skipped, in: "Content", diagnostics: diagnostics)
        var articles: [String] = [], data: [String] = []
        for path in listing.files {
            let ext = path.lastIndex(of: ".").map { path[path.index(after: $0)...].lowercased() } ?? ""
            if path.hasPrefix("data/") {
                if dataExtensions.contains(ext) { data.append(path) }
            } else if ext == "md" {
                articles.append(path)
            }
        }
        return (articles, data)
    }

    /// One article, or nil when it is a draft or dated in the future (and those are hidden).
    static func loadPage(_ relative: String, options: BuildOptions, diagnostics: Diagnostics) -> Result<Page, DiagnosticError>? {
        let path = "Content/" + relative
        let text: String
        switch readText(options.contentPath + "/" + relative, display: path, diagnostics: diagnostics) {
        case .success(let t): text = t
        case .failure(let failure): return .failure(DiagnosticError(.error("the file \(failure.explanation)", at: SourceLocation(path: path, line: 1))))
        }
        do throws(DiagnosticError) {
            let matter = try FrontMatter.parse(text, path: path)
            if matter.draft && !options.drafts { return nil }
            if let date = matter.date, date > options.now, !options.future { return nil }
            let route = try Page.route(relativePath: relative, slug: matter.slug, path: path, text: text)
            var page = Page(sourcePath: path, outputPath: route.output, url: route.url, matter: matter)
            if options.cache { page.sourceDigest = SHA256.hex(text.utf8) }  // only the build cache needs it
            return .success(page)
        } catch {
            return .failure(error)
        }
    }

    /// No two sources may share an output path (pages, or a page and a file the build
    /// makes), and every page needs its template.
    static func validate(_ site: LoadedSite, options: BuildOptions, diagnostics: Diagnostics) {
        validate(site.pages, templates: site.templates, diagnostics: diagnostics)
        let assets = FileTree.files(under: options.templates.path + "/assets").files
        let generated = OutputPaths.generated(templates: site.templates, data: site.data, pages: site.pages,
                                              absoluteBase: Feeds.absoluteRoot(site.config.baseURL) != nil, assets: assets)
        diagnostics.add(contentsOf: OutputPaths.collisions(pages: site.pages, generated: generated))
    }

    static func validate(_ pages: [Page], templates: TemplateLibrary, diagnostics: Diagnostics) {
        var outputs: [String: String] = [:]
        for page in pages.sorted(by: { $0.sourcePath < $1.sourcePath }) {
            if let other = outputs[page.outputPath] {
                diagnostics.add(.error("this page and \(other) would both be written to \(page.outputPath); give one a different 'slug'",
                                       at: SourceLocation(path: page.sourcePath, line: 1)))
            }
            outputs[page.outputPath] = page.sourcePath
        }
        for page in pages where templates.template(named: page.layout + ".html") == nil {
            let hint = SourceText.suggestion(for: page.layout, in: templates.templates.keys.map { String($0.dropLast(5)) })
                .map { " (did you mean '\($0)'?)" } ?? ""
            diagnostics.add(.error("no template Templates/\(page.layout).html for this page\(hint); set 'layout:' or add the template",
                                   at: SourceLocation(path: page.sourcePath, line: 1)))
        }
    }

    /// A content file as text, lone carriage returns read as line feeds (with a warning).
    static func readText(_ path: String, display: String, diagnostics: Diagnostics) -> Result<String, FileText.Failure> {
        FileText.load(path).map { text in
            let (normalised, hadLoneCR) = LineEnds.normalised(text)
            if hadLoneCR { diagnostics.add(LineEnds.warning(display)) }
            return normalised
        }
    }

    /// Reports what a walk of `display` (e.g. `Content`) skipped: a link that leaves the
    /// site is an error; a dangling link, a loop or a FIFO a warning.
    static func report(_ skipped: [(path: String, reason: FileTree.Skip)], in display: String, diagnostics: Diagnostics) {
        for (path, reason) in skipped {
            let shown = display + "/" + path
            let message = FileTree.explain(reason, shown)
            let location = SourceLocation(path: shown, line: 1)
            diagnostics.add(reason == .leadsOutside ? .error(message, at: location) : .warning(message, at: location))
        }
    }
}
