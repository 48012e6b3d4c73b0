import DossierCite
import DossierCore
import Foundation

/// How to cite a page of the site ("Cite this"): a web page by its front matter's
/// `authors` (else the site's `author`), `title`, `date` and `updated`, published by the
/// site (its `publisher` in site.yaml, else its `title`), at the page's address. The home page stands
/// for the site as a whole. Written out as the page's `page.cite` and, beside it,
/// `cite.bib` and `cite.ris`.
enum PageCitation {
    static func reference(for page: Page, config: SiteConfig) -> Reference {
        let urls = config.urls
        let isHome = page.isHome
        var r = Reference(key: citationKey(page, config: config), kind: .webpage, location: SourceLocation(path: page.sourcePath, line: 1))
        // Typewriter apostrophes as the reference list sets them (front matter is plain
        // text); the title's case is the author's (protected, as a braced BibTeX title).
        func typeset(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "’") }
        let title = config.title(in: page.language), author = config.author(in: page.language)
        r.title = String(Reference.protectOpen) + typeset(isHome ? title : page.matter.title) + String(Reference.protectClose)
        // The site (or its `publisher`) publishes the page.
        if isHome {
            r.publisher = config.values["publisher"]?.stringValue.map(typeset)
        } else {
            r.publisher = typeset(config.values["publisher"]?.stringValue ?? title)
        }
        let authors = page.matter.authors.isEmpty ? (author.isEmpty ? [] : [author]) : page.matter.authors
        r.authors = authors.map(name)
        r.issued = page.matter.date.map(parts)
        r.modified = page.matter.updated.map(parts)
        r.url = urls.absolute(page.url)
        return r
    }

    /// "Kim, Minsu" is a person (family name first); any other name is written as it is
    /// (an organisation, a team, or a person cited by the whole name).
    static func name(_ text: String) -> Name {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { return Name(family: parts[0], given: parts[1]) }
        return Name(literal: text)
    }

    static func parts(_ date: Date) -> DateParts {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return DateParts(year: c.year ?? 1970, month: c.month, day: c.day)
    }

    /// `dossier-briefing`: the site's title and the page's last URL segment, as a key.
    static func citationKey(_ page: Page, config: SiteConfig) -> String {
        let site = Slug.make(config.title)
        let last = page.url.split(separator: "/").last.map(String.init) ?? ""
        let key = [site.isEmpty ? "site" : site, last].filter { !$0.isEmpty }.joined(separator: "-")
        return key.isEmpty ? "page" : key
    }

    /// `briefing/cite.bib` beside `briefing/index.html`.
    static func filePath(_ page: Page, ext: String) -> String {
        let folder = page.outputPath.split(separator: "/").dropLast().joined(separator: "/")
        return (folder.isEmpty ? "" : folder + "/") + "cite." + ext
    }

    /// What templates see as `page.cite`: `text` (the entry, HTML), `bibtex`, `ris`,
    /// `bib_url`, `ris_url` and `meta` (the Highwire Press tags Google Scholar and Zotero
    /// read, for the page's `<head>`).
    static func value(for page: Page, config: SiteConfig) -> Value {
        let r = reference(for: page, config: config)
        let urls = config.urls
        let folderURL = page.url.hasSuffix("/") ? page.url : page.url + "/"
        return .dictionary([
            "text": .html(r.entryHTML),
            "bibtex": .string(ReferenceExport.bibtex(r)),
            "ris": .string(ReferenceExport.ris(r)),
            "bib_url": .string(urls.url(folderURL + "cite.bib")),
            "ris_url": .string(urls.url(folderURL + "cite.ris")),
            "meta": .html(meta(r, pdf: config.pdf ? config.urls.absoluteRoot.map { $0 + "/" + URLPath.encode(PDFEdition.fileName(config)) } : nil)),
        ])
    }

    /// `citation_title`, one `citation_author` each, `citation_publication_date`
    /// (YYYY/MM/DD, as Google Scholar asks), `citation_online_date` when updated,
    /// `citation_publisher`, `citation_public_url`, and `citation_pdf_url` (the PDF
    /// edition's absolute address) when the build makes one.
    static func meta(_ r: Reference, pdf: String? = nil) -> String {
        var tags: [(String, String)] = []
        if let t = r.plainTitle { tags.append(("citation_title", t)) }
        for a in r.authors { tags.append(("citation_author", a.literal ?? a.inverted)) }
        func slashed(_ d: DateParts) -> String {
            [String(format: "%04d", d.year), d.month.map { String(format: "%02d", $0) }, d.day.map { String(format: "%02d", $0) }]
                .compactMap { $0 }.joined(separator: "/")
        }
        if let d = r.issued { tags.append(("citation_publication_date", slashed(d))) }
        if let d = r.modified { tags.append(("citation_online_date", slashed(d))) }
        if let p = r.publisher { tags.append(("citation_publisher", p)) }
        if let u = r.url { tags.append(("citation_public_url", u)) }
        if let pdf { tags.append(("citation_pdf_url", pdf)) }
        return tags.map { "<meta name=\"\($0.0)\" content=\"\(HTML.escape($0.1))\">" }.joined(separator: "\n")
    }

    /// `cite.bib` and `cite.ris` for the page.
    static func files(for page: Page, config: SiteConfig) -> [OutputFile] {
        let r = reference(for: page, config: config)
        return [OutputFile(filePath(page, ext: "bib"), text: ReferenceExport.bibtex(r)),
                OutputFile(filePath(page, ext: "ris"), text: ReferenceExport.ris(r))]
    }
}
