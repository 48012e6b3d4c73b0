import DossierCite
import DossierCore
import Foundation

/// The works pages can cite: the site's bibliography (`Content/references.bib`, `.json`,
/// `.yaml` or `.yml`, any of them) and the files a page names with `bibliography:` in its
/// front matter (relative to the page's folder, inside `Content/`), each read once per build.
final class Bibliographies: @unchecked Sendable {
    static let siteFiles = ["references.bib", "references.json", "references.yaml", "references.yml"]
    static let extensions: Set<String> = ["bib", "json", "yaml", "yml"]

    let site: Library
    private let contentPath: String
    private let lock = NSLock()
    private var files: [String: Result<[Reference], DiagnosticError>] = [:]

    /// Reads the site's files; their errors go to `diagnostics`.
    init(contentPath: String, diagnostics: Diagnostics) {
        self.contentPath = contentPath
        var list: [Reference] = []
        for name in Self.siteFiles where FileManager.default.fileExists(atPath: contentPath + "/" + name) {
            switch Self.read(contentPath: contentPath, relative: name) {
            case .success(let references): list += references
            case .failure(let e): diagnostics.add(contentsOf: e.diagnostics)
            }
        }
        let library = Self.merged(list, diagnostics: diagnostics)
        site = library
        // Made once, with the files: the preview's runs share it.
        templateValue = ReferenceList.sorted(library.keys.compactMap { library[$0] }).map { r in
            .dictionary(["key": .string(r.key), "text": .html(r.entryHTML), "bibtex": .string(ReferenceExport.bibtex(r)), "ris": .string(ReferenceExport.ris(r))])
        }
    }

    /// `site.references`: the site's bibliography in reference-list order, each
    /// `{key, text, bibtex, ris}` (`text` the entry as HTML).
    let templateValue: [Value]

    /// Later files' entries with a key already read are errors.
    private static func merged(_ list: [Reference], diagnostics: Diagnostics) -> Library {
        var seen: [String: SourceLocation] = [:]
        var kept: [Reference] = []
        for r in list {
            if let first = seen[r.key] {
                diagnostics.add(Diagnostic(.error, "the key '\(r.key)' is used twice", at: r.location, notes: ["first used at \(first)"]))
                continue
            }
            seen[r.key] = r.location
            kept.append(r)
        }
        return Library(kept)
    }

    static func read(contentPath: String, relative: String) -> Result<[Reference], DiagnosticError> {
        let display = "Content/" + relative
        let full = contentPath + "/" + relative
        guard FileTree.isInside(full, root: contentPath) else {
            return .failure(DiagnosticError(.error(FileTree.explain(.leadsOutside, display), at: SourceLocation(path: display, line: 1))))
        }
        let text: String
        switch FileText.load(full) {
        case .success(let t): text = LineEnds.normalised(t).text
        case .failure(let failure): return .failure(DiagnosticError(.error("the bibliography \(failure.explanation)", at: SourceLocation(path: display, line: 1))))
        }
        let (references, errors) = relative.lowercased().hasSuffix(".bib")
            ? BibTeX.parse(text, path: display) : CSLData.parse(text, path: display)
        let hard = errors.filter { $0.severity == .error }
        return hard.isEmpty ? .success(references) : .failure(DiagnosticError(errors))
    }

    /// A file under `Content/` (outside `data/`) that a page could read as a bibliography.
    static func isBibliography(_ sitePath: String) -> Bool {
        guard sitePath.hasPrefix("Content/"), !sitePath.hasPrefix("Content/data/"), sitePath != "Content/" + SiteConfig.fileName,
              let ext = sitePath.split(separator: ".").last?.lowercased() else { return false }
        return extensions.contains(ext)
    }

    /// The library for a page: the site's, plus what its `bibliography:` names (nil
    /// when there is nothing to cite from). Problems are located at the field.
    func library(for page: Page, text: String) -> Result<Library?, DiagnosticError> {
        guard let field = page.matter.fields["bibliography"] else { return .success(site.isEmpty ? nil : site) }
        let at = page.matter.locations["bibliography"] ?? SourceLocation(path: page.sourcePath, line: 1)
        let names: [String]
        switch field {
        case .string(let s): names = [s]
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }): names = items.compactMap(\.stringValue)
        default:
            return .failure(DiagnosticError(Diagnostic.error("'bibliography' must be a file name or a list of them", at: at).withSource(text)))
        }
        var list = site.keys.compactMap { site[$0] }
        var problems: [Diagnostic] = []
        let folder = (page.sourcePath.dropFirst("Content/".count) as Substring).split(separator: "/").dropLast().joined(separator: "/")
        for name in names {
            let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
            guard Self.extensions.contains(ext), !name.hasPrefix("/") else {
                problems.append(Diagnostic.error("'bibliography: \(name)' must name a .bib, .json or .yaml file beside the page", at: at).withSource(text))
                continue
            }
            let relative = URLPath.normaliseRelative(folder.isEmpty ? name : folder + "/" + name)
            guard let relative else {
                problems.append(Diagnostic.error("'bibliography: \(name)' leads outside Content/", at: at).withSource(text))
                continue
            }
            lock.lock()
            let cached = files[relative]
            lock.unlock()
            let result = cached ?? Self.read(contentPath: contentPath, relative: relative)
            if cached == nil {
                lock.lock()
                files[relative] = result
                lock.unlock()
            }
            switch result {
            case .success(let references):
                let known = Set(list.map(\.key))
                list += references.filter { !known.contains($0.key) }
            case .failure(let e):
                // The file's own errors once (where they are); here, that the page used it.
                if cached == nil { problems += e.diagnostics }
                problems.append(Diagnostic.error("'bibliography: \(name)' could not be read", at: at).withSource(text))
            }
        }
        if !problems.isEmpty { return .failure(DiagnosticError(problems)) }
        return .success(Library(list))
    }
}
