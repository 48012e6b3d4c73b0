import DossierCore
import Foundation

/// `dossier new`: a small complete site to start from, and a new page in a site.
///
/// The starter site's files are in `Sources/DossierSite/Starter/`, compiled into the
/// binary (`PackageResources`): a home page, one article with a chart, a table and a
/// footnote drawn from a bundled illustrative dataset, templates and styles. It builds
/// with `--strict` and passes `dossier check` and the Nu HTML checker (the tests build it).
public enum Starter {
    /// Each file of a new site: its path in the site folder and its bytes.
    static var siteFiles: [(path: String, bytes: [UInt8])] {
        [
            ("Content/site.yaml", PackageResources.site_yaml),
            ("Content/index.md", PackageResources.index_md),
            ("Content/articles/example.md", PackageResources.example_article_md),
            ("Content/data/example.csv", PackageResources.example_csv),
            ("Content/data/example.yaml", PackageResources.example_yaml),
            ("Templates/base.html", PackageResources.base_html),
            ("Templates/article.html", PackageResources.article_html),
            ("Templates/home.html", PackageResources.home_html),
            ("Templates/tag.html", PackageResources.tag_html),
            ("Templates/404.html", PackageResources.not_found_html),
            ("Templates/assets/style.css", PackageResources.style_css),
        ]
    }

    /// Writes a new site into `folder` (which must not exist, or be empty); returns the
    /// paths written. `today` dates the example article.
    public static func writeSite(at folder: URL, today: Date = Date()) throws(DiagnosticError) -> [String] {
        let fm = FileManager.default
        let shown = folder.path
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DiagnosticError(.error("\(shown) is a file: give a folder for the new site")) }
            let entries = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
            guard entries.isEmpty else {
                throw DiagnosticError(.error("\(shown) is not empty: a new site goes into a new or empty folder, so that nothing is overwritten"))
            }
        }
        let date = DateText.day(today)
        var written: [String] = []
        for (path, bytes) in siteFiles {
            var bytes = bytes
            if path == "Content/articles/example.md" { bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "date: DATE", with: "date: \(date)").utf8) }
            try write(bytes, to: folder.appendingPathComponent(path), shown: path, create: true)
            written.append(path)
        }
        return written
    }

    /// Writes a new page at `path` in the site `site` (`notes/method.md`, with or without
    /// `Content/` and `.md`): front matter with `title` (or one made from the file name),
    /// today's date and `draft: true`. Returns the path written, relative to the site.
    public static func writePage(_ path: String, site: URL, title: String?, today: Date = Date()) throws(DiagnosticError) -> String {
        var relative = path.hasPrefix("Content/") ? String(path.dropFirst("Content/".count)) : path
        if !relative.lowercased().hasSuffix(".md") { relative += ".md" }
        guard let normalised = URLPath.normaliseRelative(relative), !normalised.isEmpty, !relative.hasPrefix("/") else {
            throw DiagnosticError(.error("'\(path)' leads outside Content/: give a path inside it, e.g. notes/method.md"))
        }
        guard !normalised.hasPrefix("data/") else {
            throw DiagnosticError(.error("Content/data/ holds datasets, not pages: give another folder, e.g. notes/\(normalised.dropFirst(5))"))
        }
        let content = site.appendingPathComponent("Content")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticError(.error("no Content/ folder in \(site.path): run this in a Dossier site, or pass --site (dossier new site DIR makes one)"))
        }
        let name = normalised.split(separator: "/").last.map { String($0.dropLast(3)) } ?? normalised
        let pageTitle = title ?? name.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ").capitalizedFirst
        let text = """
            ---
            title: \(JSONText.encode(.string(pageTitle)))
            date: \(DateText.day(today))
            draft: true
            # summary: One or two sentences, for lists, the feed and search results.
            # tags: [a topic]
            ---

            Write here.

            """
        let shown = "Content/" + normalised
        try write(Array(text.utf8), to: content.appendingPathComponent(normalised), shown: shown, create: false, inside: content.path)
        return shown
    }

    /// Writes `bytes` to `url`, never over an existing file (`O_EXCL`), making its folders.
    private static func write(_ bytes: [UInt8], to url: URL, shown: String, create: Bool, inside root: String? = nil) throws(DiagnosticError) {
        let folder = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw DiagnosticError(.error("could not make the folder for \(shown): \(error.localizedDescription)"))
        }
        if let root, !FileTree.isInside(folder.path, root: root) {
            throw DiagnosticError(.error(FileTree.explain(.leadsOutside, shown)))
        }
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw DiagnosticError(.error("\(shown) already exists: dossier new never overwrites a file")) }
            throw DiagnosticError(.error("could not write \(shown): \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        let ok = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        if !ok { throw DiagnosticError(.error("could not write \(shown): \(String(cString: strerror(errno)))")) }
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
