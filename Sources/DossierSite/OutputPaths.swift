import DossierCore
import DossierData
import DossierTemplates

/// Every file a build writes besides the articles, with what makes it, so that no two
/// sources share an output path in silence: `Content/print.md` would otherwise be
/// replaced by the print view, `Content/tags/x.md` by the page of tag `x`, a page
/// `feed.xml/` would turn the feed's file into a folder.
enum OutputPaths {
    /// Generated output path → what makes it, for a site whose pages are `pages`.
    static func generated(templates: TemplateLibrary, data: DataCatalog, pages: [Page], absoluteBase: Bool,
                          assets: [String], languages: Languages = .single("en")) -> [String: String] {
        var made: [String: String] = [
            Manifest.fileName: "the build's manifest", OutputWriter.markerName: "the output folder's marker",
            "robots.txt": "robots.txt",
        ]
        // Each language's own (`ko/feed.xml`, `ko/tags/…`, `ko/print/`), in a site of several.
        let codes = languages.isMultilingual ? languages.codes : [languages.defaultCode]
        for code in codes {
            let mine = languages.isMultilingual ? pages.filter { $0.language == code } : pages
            guard code == languages.defaultCode || !mine.isEmpty else { continue }
            func at(_ path: String) -> String { languages.path(path, in: code) }
            if absoluteBase {
                made[at("feed.xml")] = "the Atom feed"
                made[at("sitemap.xml")] = "the sitemap"
            }
            if templates.template(named: "tag.html") != nil {
                for (tag, slug, _) in PageRenderer.tagPages(mine) { made[at("tags/\(slug)/index.html")] = "Templates/tag.html (the page of tag '\(tag)')" }
            }
            if templates.template(named: "print.html") != nil { made[at("print/index.html")] = "Templates/print.html (the print view)" }
        }
        if templates.template(named: "404.html") != nil { made["404.html"] = "Templates/404.html (the 404 page)" }
        for dataset in data.datasets.values {
            made["data/\(dataset.id).csv"] = "\(dataset.path) (its CSV download)"
            made["data/\(dataset.id).json"] = "\(dataset.path) (its JSON download)"
        }
        for asset in assets { made["assets/" + asset] = "Templates/assets/" + asset }
        return made
    }

    /// An error for every page whose output path is also a generated file's, or lies
    /// inside a path that is a file (or holds one that another source writes as a file).
    static func collisions(pages: [Page], generated: [String: String]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var sources = generated
        for page in pages {
            if let other = generated[page.outputPath] {
                problems.append(.error("this page would be written to \(page.outputPath), where \(other) is written; give it another 'slug' or move it",
                                       at: SourceLocation(path: page.sourcePath, line: 1)))
            }
            sources[page.outputPath] = sources[page.outputPath] ?? page.sourcePath
        }
        // A path cannot be a file for one source and a folder for another.
        for (path, source) in sources {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard let other = sources[String(folder)] else { continue }
                problems.append(.error("\(other) is written to \(folder), but \(source) needs \(folder)/ to be a folder (for \(path))",
                                       at: location(of: source, other)))
                break
            }
        }
        // Sorted only here: ten thousand pages need no sort when nothing clashes.
        return problems.sorted { ($0.location?.path ?? "", $0.message) < ($1.location?.path ?? "", $1.message) }
    }

    /// Where to report a clash: at the article if one of the two is, else at the first.
    private static func location(of a: String, _ b: String) -> SourceLocation {
        let source = [a, b].first { $0.hasPrefix("Content/") && $0.hasSuffix(".md") } ?? a
        return SourceLocation(path: String(source.split(separator: " ").first ?? Substring(source)), line: 1)
    }
}
