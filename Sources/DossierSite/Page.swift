import DossierCore
import DossierMarkdown
import Foundation

/// One article: where it comes from, where it goes, and what templates see of it.
///
/// A value type whose fields live in one shared, copy-on-write box: pages are copied by
/// every sort, filter and parallel map of a build, and copying a dozen strings, arrays and
/// dictionaries field by field was 5 % of a large build's CPU in reference counting.
public struct Page: Sendable {
    /// `Content/a/b.md`, as shown in diagnostics.
    public var sourcePath: String {
        get { storage.sourcePath }
        _modify { makeUnique(); yield &storage.sourcePath }
    }
    /// `a/b/index.html`, relative to the output folder.
    public var outputPath: String {
        get { storage.outputPath }
        _modify { makeUnique(); yield &storage.outputPath }
    }
    /// `/a/b/` (without the base path).
    public var url: String {
        get { storage.url }
        _modify { makeUnique(); yield &storage.url }
    }
    public var matter: FrontMatter {
        get { storage.matter }
        _modify { makeUnique(); yield &storage.matter }
    }
    /// Its Markdown's facts (headings, links, summary paragraph, word count), from the
    /// parse step until its template is rendered; after that they are in its
    /// `PageRecord`, and the page keeps only what lists show of it.
    var rendered: MarkdownFacts? {
        get { storage.rendered }
        _modify { makeUnique(); yield &storage.rendered }
    }
    /// The first paragraph of more than eight words (as a summary shows it: `summaryCut`),
    /// and the word count.
    public var firstParagraph: String {
        get { storage.firstParagraph }
        _modify { makeUnique(); yield &storage.firstParagraph }
    }
    public var wordCount: Int {
        get { storage.wordCount }
        _modify { makeUnique(); yield &storage.wordCount }
    }
    /// The body has chart or table blocks (known once rendered).
    public var drawsFromData: Bool {
        get { storage.drawsFromData }
        _modify { makeUnique(); yield &storage.drawsFromData }
    }
    /// Its Markdown rendered without a warning (one that warned is rendered again by the
    /// next build, so that the warning is printed again).
    var markdownClean: Bool {
        get { storage.markdownClean }
        _modify { makeUnique(); yield &storage.markdownClean }
    }
    /// The pages (relative to `Content/`) its Markdown's relative links lead to, sorted
    /// (known once rendered; from the record when its facts were adopted).
    var linkedPages: [String] {
        get { storage.linkedPages }
        _modify { makeUnique(); yield &storage.linkedPages }
    }
    /// The headless fragments (relative to `Content/`) its ```` ```include ```` blocks
    /// read, so that the preview renders it again when one changes.
    var includes: [String] {
        get { storage.includes }
        _modify { makeUnique(); yield &storage.includes }
    }
    /// SHA-256 of the source file, for the build cache.
    public var sourceDigest: String {
        get { storage.sourceDigest }
        _modify { makeUnique(); yield &storage.sourceDigest }
    }
    /// Its language's code (`briefing.ko.md`: `ko`; the site's language otherwise).
    public var language: String {
        get { storage.language }
        _modify { makeUnique(); yield &storage.language }
    }
    /// What its translations share: its path relative to `Content/` without the language
    /// code (`briefing.md` for `briefing.ko.md`), or its front matter's `translation_key`.
    public var translationKey: String {
        get { storage.translationKey }
        _modify { makeUnique(); yield &storage.translationKey }
    }
    /// A language's home page: at `/`, or at `/ko/` for the Korean pages.
    public var isHome: Bool { url == "/" || (storage.languageRoot && url == "/" + language + "/") }
    /// Its language is not the site's default (its home is at `/CODE/`).
    var languageRoot: Bool {
        get { storage.languageRoot }
        _modify { makeUnique(); yield &storage.languageRoot }
    }

    init(sourcePath: String, outputPath: String, url: String, matter: FrontMatter) {
        storage = Storage(sourcePath: sourcePath, outputPath: outputPath, url: url, matter: matter)
    }

    private var storage: Storage

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Mutated only through `makeUnique`, so never while shared between threads.
    private final class Storage: @unchecked Sendable {
        var sourcePath: String
        var outputPath: String
        var url: String
        var matter: FrontMatter
        var rendered: MarkdownFacts?
        var firstParagraph = ""
        var wordCount = 0
        var drawsFromData = false
        var markdownClean = true
        var linkedPages: [String] = []
        var includes: [String] = []
        var sourceDigest = ""
        var language = ""
        var translationKey = ""
        var languageRoot = false

        init(sourcePath: String, outputPath: String, url: String, matter: FrontMatter) {
            self.sourcePath = sourcePath
            self.outputPath = outputPath
            self.url = url
            self.matter = matter
        }

        func copy() -> Storage {
            let copy = Storage(sourcePath: sourcePath, outputPath: outputPath, url: url, matter: matter)
            copy.rendered = rendered
            copy.firstParagraph = firstParagraph
            copy.wordCount = wordCount
            copy.drawsFromData = drawsFromData
            copy.markdownClean = markdownClean
            copy.linkedPages = linkedPages
            copy.includes = includes
            copy.sourceDigest = sourceDigest
            copy.language = language
            copy.translationKey = translationKey
            copy.languageRoot = languageRoot
            return copy
        }
    }

    /// `Content/index.md` → `index.html` at `/`; `Content/a/b.md` → `a/b/index.html` at `/a/b/`;
    /// `Content/a/index.md` (or `_index.md`) → `a/index.html` at `/a/`. A front matter `slug` replaces the
    /// last part of the URL and must stay one safe path segment; `slugAt` is where it was
    /// written and `text` the file, for the error.
    /// In a site of several languages, `Content/a/b.ko.md` (`ko` one of them) goes where
    /// `Content/a/b.md` would, under `ko/`: `ko/a/b/index.html` at `/ko/a/b/`.
    public static func route(relativePath: String, slug: String? = nil, slugAt: SourceLocation? = nil,
                             text: String = "", languages: Languages) throws(DiagnosticError) -> (output: String, url: String) {
        let (path, language) = languages.split(relativePath)
        let route = try route(relativePath: path, slug: slug, slugAt: slugAt, text: text)
        guard language != languages.defaultCode else { return route }
        return (language + "/" + route.output, "/" + language + route.url)
    }

    public static func route(relativePath: String, slug: String? = nil, slugAt: SourceLocation? = nil,
                             text: String = "") throws(DiagnosticError) -> (output: String, url: String) {
        var stem = relativePath
        if stem.hasSuffix(".md") { stem.removeLast(3) }
        // Hugo's section index, `_index.md`, is the folder's index page.
        if stem == "_index" || stem.hasSuffix("/_index") { stem = String(stem.dropLast("_index".count)) + "index" }
        if stem == "index" { return ("index.html", "/") }
        if stem.hasSuffix("/index") { stem.removeLast(6) }
        if let slug {
            let safe = !slug.isEmpty && slug != "." && slug != ".." && slug.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
            }
            guard safe else {
                let location = slugAt ?? SourceLocation(path: "Content/" + relativePath, line: 1)
                throw DiagnosticError(Diagnostic.error("'slug' must be one URL segment of letters, digits, '-', '_' or '.', got '\(slug)'",
                                                       at: location).withSource(text))
            }
            let parent = stem.contains("/") ? String(stem[..<stem.lastIndex(of: "/")!]) + "/" : ""
            stem = parent + slug
        }
        return (stem + "/index.html", "/" + URLPath.encode(stem) + "/")
    }

    /// Why `url` cannot be a page's whole URL (front matter `url:`), or nil: it must start
    /// and end with `/` and hold safe path segments.
    static func urlProblem(_ url: String) -> String? {
        guard url.hasPrefix("/"), url.hasSuffix("/") else { return "must start and end with '/', e.g. /reports/2025/, got '\(url)'" }
        let segments = url.split(separator: "/")
        for segment in segments {
            let safe = segment != "." && segment != ".." && segment.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
            }
            if !safe { return "must be path segments of letters, digits, '-', '_' or '.', got '\(url)'" }
        }
        return nil
    }

    public var layout: String {
        matter.layout ?? (isHome ? "home" : "article")
    }

    /// The front matter's summary, else the first paragraph of more than eight words, cut
    /// to 280 characters.
    public var summary: String { matter.summary ?? Page.summaryCut(firstParagraph) }

    /// A paragraph as a summary shows it: at most 280 characters, else 277 and "…". The
    /// parse step keeps only this much of the first paragraph (a 100,000-page site held
    /// 40 MB of paragraph tails, and a second copy of each cut one).
    static func summaryCut(_ paragraph: String) -> String {
        paragraph.utf8.count > 280 && paragraph.count > 280 ? String(paragraph.prefix(277)) + "…" : paragraph
    }

    public var readingTime: Int { max(1, Int((Double(wordCount) / 220).rounded(.up))) }

    /// The short form used in lists (`site.pages`, `page.prev`): no content.
    func summaryValue(urls: SiteURLs) -> Value {
        var d = matter.fields
        // Room for these six only: every summary lives until the build ends, and room for
        // the seven keys `templateValue` adds doubled its table (80 MB at 100,000 pages);
        // that page's own copy grows once instead.
        d.reserveCapacity(d.count + 6)
        d["url"] = .string(urls.url(url))
        d["summary"] = .string(summary)
        d["word_count"] = .number(Double(wordCount))
        d["reading_time"] = .number(Double(readingTime))
        d["source_path"] = .string(sourcePath)
        d["language"] = .string(language)
        return .dictionary(d)
    }

    /// The full value templates see as `page`, given its short form (`summaryValue`), its
    /// Markdown's HTML and its headings.
    func templateValue(summary: Value, content: String, headings: [Heading], previous: Value?, next: Value?) -> Value {
        guard case .dictionary(var d) = summary else { return .null }
        d["content"] = .html(content)
        d["toc"] = .array(headings.filter { (2...3).contains($0.level) }.map {
            .dictionary(["level": .number(Double($0.level)), "id": .string($0.id), "title": .string($0.text)])
        })
        d["prev"] = previous ?? .null
        d["next"] = next ?? .null
        d["layout"] = .string(layout)
        return .dictionary(d)
    }
}

/// A page's Markdown headings and links, from the parse step until its template is
/// rendered, kept encoded (as its record will keep them): as objects, a hundred thousand
/// pages' facts were the largest part of a build's memory.
struct MarkdownFacts: Sendable {
    let encoded: [UInt8]
    let path: String

    init(headings: [Heading], links: [LinkReference], cited: [String] = [], linkedPages: [String] = [], path: String) {
        encoded = PageRecord.Details(headings: headings, links: links, scan: PageScan(hrefs: [], srcs: [], ids: [], imagesWithoutAlt: []),
                                     cited: cited, linkedPages: linkedPages).encoded
        self.path = path
    }

    var decoded: PageRecord.Details {
        PageRecord.Details(decoding: encoded, path: path) ?? PageRecord.Details(headings: [], links: [], scan: PageScan(hrefs: [], srcs: [], ids: [], imagesWithoutAlt: []))
    }

    var headings: [Heading] { decoded.headings }
}
