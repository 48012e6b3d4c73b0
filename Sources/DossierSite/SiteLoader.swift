import DossierCore
import DossierData
import DossierTemplates
import Foundation

/// Reads the site folder for the pipeline's load and parse steps: config, templates,
/// data, the list of articles, and each article's front matter. Every problem in every
/// file is collected.
enum SiteLoader {
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
        if options.pdf { config.pdf = true }
        return config
    }

    static func loadTemplates(_ options: BuildOptions, diagnostics: Diagnostics) -> TemplateLibrary? {
        diagnostics.capture { try TemplateLibrary.load(directory: options.templates, displayPrefix: "Templates") }
    }

    static func loadData(_ options: BuildOptions, files: [String], diagnostics: Diagnostics, baselineData: [String: Value] = [:]) -> DataCatalog {
        var dataFiles: [String: String] = [:]
        for relative in files {
            let path = "Content/" + relative
            switch readText(options.contentPath + "/" + relative, display: path, diagnostics: diagnostics) {
            case .success(let text): dataFiles[path] = text
            case .failure(let failure): diagnostics.add(.error("the file \(failure.explanation)", at: SourceLocation(path: path, line: 1)))
            }
        }
        let declarations = RemoteData.declarations(in: dataFiles, environment: options.environment, diagnostics: diagnostics)
        guard !declarations.isEmpty else { return diagnostics.capture { try DataCatalog.load(files: dataFiles) } ?? DataCatalog() }
        return loadRemote(declarations, files: dataFiles, options: options, diagnostics: diagnostics, baselineData: baselineData)
    }

    /// The catalog with each remote dataset's bytes in place (`RemoteData`): fetched bytes
    /// that do not validate give way to the kept copy, with a warning.
    private static func loadRemote(_ declarations: [RemoteData.Declaration], files: [String: String], options: BuildOptions,
                                   diagnostics: Diagnostics, baselineData: [String: Value]) -> DataCatalog {
        var remote = RemoteData(options: options, diagnostics: diagnostics)
        remote.baselineData = baselineData
        var dataFiles = files
        var obtained: [String: (declaration: RemoteData.Declaration, kept: RemoteData.Kept, origin: RemoteData.Origin, shipped: String?)] = [:]
        for d in declarations {
            let shipped = dataFiles[d.virtualPath]
            if d.format != "csv" { dataFiles[d.declaredIn] = nil }  // the declaration; the document is the dataset
            guard let got = remote.obtain(d, shipped: shipped) else {
                dataFiles[d.virtualPath] = nil
                dataFiles[d.declaredIn] = nil
                continue
            }
            dataFiles[d.virtualPath] = got.text
            obtained[d.virtualPath] = (d, got.kept, got.origin, shipped)
        }
        var catalog: DataCatalog?
        for attempt in 0..<2 {
            do throws(DiagnosticError) {
                catalog = try DataCatalog.load(files: dataFiles)
                break
            } catch {
                // New bytes that fail: the last good copy stands in, once.
                let failing = Set(error.diagnostics.compactMap { $0.location?.path }).filter { obtained[$0]?.origin == .fetched }
                var replaced = false
                if attempt == 0 {
                    for path in failing.sorted() {
                        let entry = obtained[path]!, d = entry.declaration
                        let first = error.diagnostics.first { $0.location?.path == path }?.message ?? ""
                        let rejected = remote.folder.appendingPathComponent("\(d.id).rejected.\(d.format)")
                        try? FileManager.default.createDirectory(at: remote.folder, withIntermediateDirectories: true)
                        try? Data(entry.kept.text.utf8).write(to: rejected)
                        let fallback = remote.readKept(d).map { ($0.text, "the copy kept from \(remote.age($0.fetched))", $0, RemoteData.Origin.kept) }
                            ?? entry.shipped.map { ($0, "the shipped copy \(d.virtualPath)", RemoteData.Kept(text: $0, sha256: SHA256.hex($0.utf8), changed: nil, fetched: options.now), RemoteData.Origin.shipped) }
                        guard let (text, which, kept, origin) = fallback else { continue }
                        remote.warn(d, "the new data from \(d.url.absoluteString) do not validate (\(first); saved as \(rejected.path)); using \(which)")
                        dataFiles[path] = text
                        obtained[path] = (d, kept, origin, entry.shipped)
                        replaced = true
                    }
                }
                if !replaced {
                    // Reported in the copy the reader saw, with the address.
                    diagnostics.add(contentsOf: error.diagnostics.map { diagnostic in
                        guard let location = diagnostic.location, let entry = obtained[location.path], entry.origin != .shipped else { return diagnostic }
                        var moved = diagnostic
                        let fresh = entry.origin == .fetched
                        let copy = fresh ? remote.folder.appendingPathComponent("\(entry.declaration.id).rejected.\(entry.declaration.format)") : remote.copyURL(entry.declaration)
                        if fresh {
                            try? FileManager.default.createDirectory(at: remote.folder, withIntermediateDirectories: true)
                            try? Data(entry.kept.text.utf8).write(to: copy)
                        }
                        moved.location = SourceLocation(path: copy.path, line: location.line, column: location.column)
                        moved.notes.append("fetched from \(entry.declaration.url.absoluteString)")
                        return moved
                    })
                    break
                }
            }
        }
        guard var catalog else { return DataCatalog() }
        for (_, entry) in obtained {
            guard var dataset = catalog.datasets[entry.declaration.id] else { continue }
            dataset.remote = RemoteOrigin(url: entry.declaration.address, asOf: entry.kept.changed, sha256: entry.kept.sha256)
            catalog.datasets[entry.declaration.id] = dataset
            // New bytes that validated, or the server's word that the copy still holds.
            if entry.origin == .fetched || entry.origin == .notModified { remote.keep(entry.kept, for: entry.declaration) }
        }
        return catalog
    }

    /// What a file under `Content/data/` must end with to be read as data.
    static let dataExtensions: Set<String> = ["csv", "yaml", "yml", "json"]

    /// The datasets alone (the preview, after a change under `Content/data/`).
    static func loadData(_ options: BuildOptions, diagnostics: Diagnostics) -> DataCatalog {
        let listing = FileTree.files(under: options.contentPath + "/data", extensions: dataExtensions.union(["md"]))
        report(listing.skipped, in: "Content/data", diagnostics: diagnostics)
        for path in listing.files where path.lowercased().hasSuffix(".md") { reportPageInData("data/" + path, diagnostics: diagnostics) }
        return loadData(options, files: listing.files.filter { !$0.lowercased().hasSuffix(".md") }.map { "data/" + $0 }, diagnostics: diagnostics)
    }

    /// `Content/data/` is the datasets' folder: a page there is an error, not silently
    /// left out (nor published).
    static func reportPageInData(_ path: String, diagnostics: Diagnostics) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        diagnostics.add(.error("Content/data/ holds datasets (.csv, .json, .yaml), not pages: move \(name) out of data/ (a page about the data can be Content/data.md, published at /data/)",
                               at: SourceLocation(path: "Content/" + path, line: 1)))
    }

    /// Every file under `Content/`, split into articles (`.md` outside `data/`) and
    /// datasets (`data/*.csv|yaml|yml|json`), paths relative to `Content/`; what the walk
    /// skipped is reported.
    static func contentFiles(_ options: BuildOptions, diagnostics: Diagnostics) -> (articles: [String], data: [String], files: [String]) {
        let listing = FileTree.files(under: options.contentPath, reportHidden: dataExtensions.union(["md"]))
        report(listing.skipped, in: "Content", diagnostics: diagnostics)
        var articles: [String] = [], data: [String] = [], files: [String] = []
        for path in listing.files {
            let ext = path.lastIndex(of: ".").map { path[path.index(after: $0)...].lowercased() } ?? ""
            if path.hasPrefix("data/") {
                if dataExtensions.contains(ext) { data.append(path) } else if ext == "md" { reportPageInData(path, diagnostics: diagnostics) }
            } else if ext == "md" {
                if !Includes.isHeadless(path) { articles.append(path) }  // a fragment is read by the pages that include it
            } else if isPublished(path) {
                files.append(path)
            }
        }
        return (articles, data, files)
    }

    /// A file beside the pages (an image, a PDF, a bundle's files) that is published at
    /// its own path: anything under `Content/` but Markdown, datasets and `site.yaml`.
    static func isPublished(_ relative: String) -> Bool {
        relative != SiteConfig.fileName && !relative.hasPrefix("data/") && !relative.lowercased().hasSuffix(".md")
    }

    /// An article read and routed, with its Markdown body (which the parse step renders
    /// and lets go).
    struct Article: Sendable {
        var page: Page
        var body: String
        /// Where the body's lines came from, when it includes fragments.
        var lines: Includes.LineMap?
    }

    /// One article, or nil when it is a draft or dated in the future (and those are
    /// hidden). `digest`: record the source's SHA-256 (the rebuild plan compares it).
    static func loadPage(_ relative: String, options: BuildOptions, languages: Languages, digest: Bool,
                         diagnostics: Diagnostics) -> Result<Article, DiagnosticError>? {
        let path = "Content/" + relative
        let text: String
        switch readText(options.contentPath + "/" + relative, display: path, diagnostics: diagnostics) {
        case .success(let t): text = t
        case .failure(let failure): return .failure(DiagnosticError(.error("the file \(failure.explanation)", at: SourceLocation(path: path, line: 1))))
        }
        do throws(DiagnosticError) {
            var matter = try FrontMatter.parse(text, path: path)
            if matter.draft && !options.drafts { return nil }
            if let date = matter.date, date > options.now, !options.future { return nil }
            if let date = matter.publishDate, date > options.now, !options.future { return nil }
            if let date = matter.expires, date <= options.now, !options.expired { return nil }
            var route = try Page.route(relativePath: relative, slug: matter.slug, slugAt: matter.locations["slug"], text: text, languages: languages)
            if let url = matter.url {
                route = (url == "/" ? "index.html" : String(url.dropFirst()) + "index.html", URLPath.encode(String(url.dropLast())) + "/")
            }
            var body = matter.body
            matter.body = ""
            let expansion = try Includes.expand(body, path: path, firstLine: matter.bodyFirstLine, contentPath: options.contentPath,
                                                diagnostics: diagnostics)
            var page = Page(sourcePath: path, outputPath: route.output, url: route.url, matter: matter)
            (page.translationKey, page.language) = languages.split(relative)
            page.languageRoot = page.language != languages.defaultCode
            if let key = matter.fields["translation_key"] {
                guard let name = key.stringValue, !name.isEmpty else {
                    throw DiagnosticError(Diagnostic.error("'translation_key' must be text: the name this page's translations share",
                                                           at: matter.locations["translation_key"] ?? SourceLocation(path: path, line: 1)).withSource(text))
                }
                page.translationKey = "key:" + name
            }
            if let expansion {
                body = expansion.body
                page.includes = expansion.fragments.map(\.path)
            }
            if digest {
                // A page is what its file and its fragments say.
                var hashed = text
                for fragment in expansion?.fragments ?? [] { hashed += "\u{0}" + fragment.path + "\u{0}" + fragment.text }
                page.sourceDigest = SHA256.hex(hashed.utf8)
            }
            return .success(Article(page: page, body: body, lines: expansion?.lines))
        } catch {
            return .failure(error)
        }
    }

    /// No two sources may share an output path (pages, or a page and a file the build
    /// makes), and every page needs its template.
    static func validate(_ pages: [Page], config: SiteConfig, templates: TemplateLibrary, data: DataCatalog, assets: [String],
                         diagnostics: Diagnostics) {
        var outputs: [String: String] = [:]
        for page in pages.sorted(by: { $0.sourcePath < $1.sourcePath }) {
            if let other = outputs[page.outputPath] {
                diagnostics.add(.error("this page and \(other) would both be written to \(page.outputPath); give one a different 'slug'",
                                       at: page.matter.locations["slug"] ?? SourceLocation(path: page.sourcePath, line: 1)))
            }
            outputs[page.outputPath] = page.sourcePath
        }
        for page in pages where templates.template(named: page.layout + ".html") == nil {
            let hint = SourceText.didYouMean(page.layout, in: templates.templates.keys.map { String($0.dropLast(5)) })
            diagnostics.add(.error("no template Templates/\(page.layout).html for this page\(hint); set 'layout:' or add the template",
                                   at: page.matter.locations["layout"] ?? SourceLocation(path: page.sourcePath, line: 1)))
        }
        let generated = OutputPaths.generated(templates: templates, data: data, pages: pages, absoluteBase: config.urls.absoluteRoot != nil,
                                              assets: assets, languages: config.languages)
        diagnostics.add(contentsOf: OutputPaths.collisions(pages: pages, generated: generated))
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

/// The articles and the published files of `Content/` (paths relative to it), for
/// resolving relative links in Markdown against the source file's folder.
struct ContentIndex: Sendable, Equatable {
    var articles: Set<String> = []
    var files: Set<String> = []
    /// The pages whose URL is not the one their path gives (`slug:`, `url:`): relative
    /// path → URL. The parse step renders with what it knew before reading the pages and
    /// renders again the pages that linked to one whose entry then changed.
    var routes: [String: String] = [:]
    var languages = Languages.single("en")

    /// What a relative link resolves to: the site path, and the article it leads to.
    struct Target: Equatable {
        var url: String
        /// `methods.md` (relative to `Content/`) for a link to a page, nil for a file.
        var page: String?
    }

    /// What `url`, written in the Markdown of `Content/<folder>/…`, points at as a site
    /// path (`map.png` → `/notes/map.png`; `../methods.md#x` → `/methods/#x`), or nil when
    /// it is not a relative link to one of them (it is then left as written).
    /// From a page in `language`, a link to `b.md` leads to its translation `b.LANG.md`
    /// when there is one.
    func resolve(_ url: String, folder: String, language: String? = nil) -> Target? {
        guard let first = url.utf8.first, first != UInt8(ascii: "/"), first != UInt8(ascii: "#") else { return nil }
        var path = url, suffix = ""
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(path[cut...])
            path = String(path[..<cut])
        }
        // Quick answers first: a page URL (`../p2/`), an address with a scheme (`https:`,
        // `mailto:`; a `:` before any `/`), or nothing beside the pages to point at.
        guard !path.isEmpty, !path.hasSuffix("/"), files.isEmpty == false || path.lowercased().hasSuffix(".md") else { return nil }
        if let colon = path.firstIndex(of: ":"), colon < (path.firstIndex(of: "/") ?? path.endIndex) { return nil }
        guard let decoded = path.removingPercentEncoding,
              let relative = URLPath.normaliseRelative(folder.isEmpty ? decoded : folder + "/" + decoded) else { return nil }
        if files.contains(relative) { return Target(url: "/" + URLPath.encode(relative) + suffix) }
        if relative.lowercased().hasSuffix(".md"), articles.contains(relative) {
            var relative = relative
            if let language, language != languages.defaultCode, languages.split(relative).language == languages.defaultCode {
                let translated = String(relative.dropLast(3)) + "." + language + ".md"
                if articles.contains(translated) { relative = translated }
            }
            if let url = routes[relative] { return Target(url: url + suffix, page: relative) }
            if let route = try? Page.route(relativePath: relative, languages: languages) { return Target(url: route.url + suffix, page: relative) }
        }
        return nil
    }

    /// The `routes` entry of each page that sets its own URL.
    /// In a site of several languages, also an entry `b.md#ko` for each translation
    /// `b.ko.md`: a link to `b.md` from a Korean page leads to it, so the pages linking to
    /// `b.md` are rendered again when it comes or goes (`translationRoute`).
    static func routes(of pages: some Sequence<Page>, languages: Languages = .single("en")) -> [String: String] {
        var routes: [String: String] = [:]
        for page in pages {
            let relative = String(page.sourcePath.dropFirst("Content/".count))
            if page.matter.slug != nil || page.matter.url != nil { routes[relative] = page.url }
            if page.language != languages.defaultCode { routes[translationRoute(languages.split(relative).path, page.language)] = page.url }
        }
        return routes
    }

    /// The `routes` key of `path`'s translation to `code`.
    static func translationRoute(_ path: String, _ code: String) -> String { path + "#" + code }
}
