import DossierCore
import DossierData
import DossierTemplates
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
        let config = loadConfig(options, diagnostics: diagnostics)
        let templates = loadTemplates(options, diagnostics: diagnostics)
        let data = loadData(options, diagnostics: diagnostics)
        let loaded = articleFiles(options, diagnostics: diagnostics).parallelMap(threads: options.threads) { loadPage($0, options: options) }
        var pages: [Page] = []
        for result in loaded {
            switch result {
            case .success(let page)?: pages.append(page)
            case .failure(let error)?: diagnostics.add(contentsOf: error.diagnostics)
            case nil: break
            }
        }
        if let templates { validate(pages, templates: templates, diagnostics: diagnostics) }
        guard let templates, !diagnostics.hasErrors else { throw DiagnosticError(diagnostics.all) }
        return LoadedSite(config: config, templates: templates, data: data, pages: pages.sorted { $0.url < $1.url })
    }

    static func loadConfig(_ options: BuildOptions, diagnostics: Diagnostics) -> SiteConfig {
        let configPath = "Content/" + SiteConfig.fileName
        var config = SiteConfig()
        if let text = read(options.content.appendingPathComponent(SiteConfig.fileName)) {
            config = diagnostics.capture { try SiteConfig.load(text: text, path: configPath) } ?? config
        } else {
            diagnostics.add(.error("missing \(configPath) (the site's title, base_url, language, description, author)"))
        }
        if let base = options.baseURL { config.baseURL = base.hasSuffix("/") ? base : base + "/" }
        return config
    }

    static func loadTemplates(_ options: BuildOptions, diagnostics: Diagnostics) -> TemplateLibrary? {
        diagnostics.capture { try TemplateLibrary.load(directory: options.templates, displayPrefix: "Templates") }
    }

    static func loadData(_ options: BuildOptions, diagnostics: Diagnostics) -> DataCatalog {
        let dataFolder = options.content.appendingPathComponent("data")
        var dataFiles: [String: String] = [:]
        for relative in files(under: dataFolder, extensions: ["csv", "yaml", "yml", "json"]) {
            let path = "Content/data/" + relative
            guard let text = read(dataFolder.appendingPathComponent(relative)) else {
                diagnostics.add(.error("cannot read the file as UTF-8 text", at: SourceLocation(path: path, line: 1)))
                continue
            }
            dataFiles[path] = text
        }
        return diagnostics.capture { try DataCatalog.load(files: dataFiles) } ?? DataCatalog()
    }

    /// Every article's path relative to `Content/` (data files excluded).
    static func articleFiles(_ options: BuildOptions, diagnostics: Diagnostics) -> [String] {
        var outside: [String] = []
        let articles = files(under: options.content, extensions: ["md"], outside: &outside).filter { !$0.hasPrefix("data/") }
        for link in outside {
            diagnostics.add(.error("Content/\(link) is a link that leads outside the site folder; refusing to read through it",
                                   at: SourceLocation(path: "Content/" + link, line: 1)))
        }
        return articles
    }

    /// One article, or nil when it is a draft or dated in the future (and those are hidden).
    static func loadPage(_ relative: String, options: BuildOptions) -> Result<Page, DiagnosticError>? {
        let path = "Content/" + relative
        guard let text = FileText.read(options.contentPath + "/" + relative) else {
            return .failure(DiagnosticError(.error("cannot read the file as UTF-8 text", at: SourceLocation(path: path, line: 1))))
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

    /// Two pages may not share an output file, and every page needs its template.
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

    static func read(_ url: URL) -> String? { FileText.read(url.path) }

    /// Relative paths of regular files under `root` with one of `extensions`, sorted,
    /// skipping hidden files and anything reached through a link that leaves `root`.
    static func files(under root: URL, extensions: Set<String>, allExtensions: Bool = false) -> [String] {
        var ignored: [String] = []
        return files(under: root, extensions: extensions, outside: &ignored, allExtensions: allExtensions)
    }

    /// As `files(under:extensions:)`, also listing the links that lead outside `root`.
    /// Walks with `readdir` (FileManager's enumerator asked for each file's attributes
    /// separately, which was a tenth of loading a large site).
    static func files(under root: URL, extensions: Set<String>, outside: inout [String], allExtensions: Bool = false) -> [String] {
        guard let realRoot = realPath(root.path) else { return [] }
        var result: [String] = []
        var visited: Set<String> = [realRoot]
        func walk(_ directory: String, _ prefix: String) {
            guard let dir = opendir(directory) else { return }
            defer { closedir(dir) }
            var entries: [(String, UInt8)] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasPrefix(".") { continue }
                entries.append((name, entry.pointee.d_type))
            }
            for (name, type) in entries.sorted(by: { $0.0 < $1.0 }) {
                let full = directory + "/" + name
                let relative = prefix + name
                var kind = type
                if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) {
                    guard let real = realPath(full) else { continue }
                    if type == UInt8(DT_LNK) && !(real == realRoot || real.hasPrefix(realRoot + "/")) {
                        outside.append(relative)
                        continue
                    }
                    var info = stat()
                    guard stat(real, &info) == 0 else { continue }
                    kind = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0
                    if kind == UInt8(DT_DIR) {
                        guard visited.insert(real).inserted else { continue }  // a link loop
                    }
                }
                if kind == UInt8(DT_DIR) {
                    walk(full, relative + "/")
                } else if kind == UInt8(DT_REG) {
                    let ext = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
                    if allExtensions || extensions.contains(ext) { result.append(relative) }
                }
            }
        }
        walk(root.path, "")
        return result.sorted()
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
