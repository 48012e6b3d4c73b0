import DossierCore
import DossierMarkdown
import DossierTemplates

/// What a run of the pipeline learnt about one page — all that later steps and the next
/// run need, without its HTML: the Markdown's facts (headings, links, summary paragraph,
/// word count), what the page was rendered from (digests of its source, layout and data)
/// and what its HTML holds for the checks. The build cache keeps these on disk between
/// builds; the preview keeps them in memory between edits.
///
/// Immutable, and a class: the preview's table of records changes an entry at a time.
/// Headings, links and the scan are kept encoded (`details`, the build cache's bytes):
/// as objects they were most of a large build's memory, and only the checks, the print
/// view and a page rendered again from its record read them.
final class PageRecord: Sendable, Equatable {
    let sourcePath: String
    let sourceDigest: String
    let outputPath: String
    let outputDigest: String
    let firstParagraph: String
    let wordCount: Int
    let drawsFromData: Bool
    /// `TemplateUsage.digest` of the page's layout when it was rendered.
    let layoutDigest: String
    /// The data's digest when it was rendered.
    let dataDigest: String
    /// `Details`, encoded.
    let details: [UInt8]
    /// Its rendering printed no warning (a page that did is rendered again, so that its
    /// warnings are printed again).
    let clean: Bool

    /// Headings, links (located in `sourcePath`) and what the HTML holds for the checks.
    struct Details: Equatable {
        var headings: [Heading]
        var links: [LinkReference]
        var scan: PageScan
        /// The bibliography keys the page's Markdown cites, in order of first citation.
        var cited: [String] = []
        /// The pages its Markdown's relative links lead to (`Page.linkedPages`).
        var linkedPages: [String] = []

        var encoded: [UInt8] {
            var out = ByteWriter()
            out.int(headings.count)
            for h in headings { out.int(h.level); out.string(h.id); out.string(h.text); out.int(h.line) }
            out.int(links.count)
            for l in links { out.string(l.url); out.int(l.isImage ? 1 : 0); out.string(l.text); out.int(l.location.line); out.int(l.location.column) }
            out.strings(scan.hrefs); out.strings(scan.srcs); out.strings(scan.ids.sorted); out.strings(scan.imagesWithoutAlt)
            out.int(scan.spots.count)
            for spot in scan.spots { out.int(spot.attribute); out.int(spot.template); out.int(spot.line); out.int(spot.column) }
            out.strings(cited)
            out.strings(linkedPages)
            // Exactly as long as it is: a grown buffer has up to twice the room, for every page.
            return out.bytes.withUnsafeBufferPointer { Array($0) }
        }

        init(headings: [Heading], links: [LinkReference], scan: PageScan, cited: [String] = [], linkedPages: [String] = []) {
            self.headings = headings
            self.links = links
            self.scan = scan
            self.cited = cited
            self.linkedPages = linkedPages
        }

        /// Nil for anything but whole, well-formed details.
        init?(decoding bytes: [UInt8], path: String) {
            let decoded: Details? = bytes.withUnsafeBufferPointer { buffer in
                var r = ByteReader(bytes: buffer, offset: 0)
                guard let headingCount = r.count() else { return nil }
                var headings: [Heading] = []
                headings.reserveCapacity(headingCount)
                for _ in 0..<headingCount {
                    guard let level = r.int(), let id = r.string(), let text = r.string(), let line = r.int() else { return nil }
                    headings.append(Heading(level: level, id: id, text: text, line: line))
                }
                guard let linkCount = r.count() else { return nil }
                var links: [LinkReference] = []
                links.reserveCapacity(linkCount)
                for _ in 0..<linkCount {
                    guard let url = r.string(), let image = r.int(), let text = r.string(), let line = r.int(), let column = r.int() else { return nil }
                    links.append(LinkReference(url: url, isImage: image != 0, text: text, location: SourceLocation(path: path, line: line, column: column)))
                }
                guard let hrefs = r.strings(), let srcs = r.strings(), let ids = r.strings(), let images = r.strings(),
                      let spotCount = r.count() else { return nil }
                var spots: [TemplateSpot] = []
                spots.reserveCapacity(spotCount)
                for _ in 0..<spotCount {
                    guard let attribute = r.int(), let template = r.int(), let line = r.int(), let column = r.int() else { return nil }
                    spots.append(TemplateSpot(attribute: attribute, template: template, line: line, column: column))
                }
                guard let cited = r.strings(), let linkedPages = r.strings(), r.atEnd else { return nil }
                return Details(headings: headings, links: links,
                               scan: PageScan(hrefs: hrefs, srcs: srcs, ids: IDList(ids), imagesWithoutAlt: images, spots: spots), cited: cited,
                               linkedPages: linkedPages)
            }
            guard let decoded else { return nil }
            self = decoded
        }
    }

    init(sourcePath: String, sourceDigest: String, outputPath: String, outputDigest: String, firstParagraph: String, wordCount: Int,
         drawsFromData: Bool, layoutDigest: String, dataDigest: String, details: [UInt8], clean: Bool = true) {
        self.sourcePath = sourcePath
        self.sourceDigest = sourceDigest
        self.outputPath = outputPath
        self.outputDigest = outputDigest
        self.firstParagraph = firstParagraph
        self.wordCount = wordCount
        self.drawsFromData = drawsFromData
        self.layoutDigest = layoutDigest
        self.dataDigest = dataDigest
        self.details = details
        self.clean = clean
    }

    convenience init(sourcePath: String, sourceDigest: String, outputPath: String, outputDigest: String, firstParagraph: String,
                     wordCount: Int, drawsFromData: Bool, layoutDigest: String, dataDigest: String, headings: [Heading],
                     links: [LinkReference], scan: PageScan, cited: [String] = [], linkedPages: [String] = [], clean: Bool = true) {
        self.init(sourcePath: sourcePath, sourceDigest: sourceDigest, outputPath: outputPath, outputDigest: outputDigest,
                  firstParagraph: firstParagraph, wordCount: wordCount, drawsFromData: drawsFromData, layoutDigest: layoutDigest,
                  dataDigest: dataDigest, details: Details(headings: headings, links: links, scan: scan, cited: cited, linkedPages: linkedPages).encoded,
                  clean: clean)
    }

    /// The headings, links and scan, decoded (each call decodes them again).
    var decoded: Details { Details(decoding: details, path: sourcePath) ?? Details(headings: [], links: [], scan: PageScan(hrefs: [], srcs: [], ids: [], imagesWithoutAlt: [])) }
    var headings: [Heading] { decoded.headings }
    var links: [LinkReference] { decoded.links }
    var scan: PageScan { decoded.scan }
    var cited: [String] { decoded.cited }

    /// The same record, as rendered with the data at `digest` (it did not read the data,
    /// or the data is unchanged).
    func with(dataDigest digest: String) -> PageRecord {
        digest == dataDigest ? self : PageRecord(
            sourcePath: sourcePath, sourceDigest: sourceDigest, outputPath: outputPath, outputDigest: outputDigest,
            firstParagraph: firstParagraph, wordCount: wordCount, drawsFromData: drawsFromData, layoutDigest: layoutDigest,
            dataDigest: digest, details: details, clean: clean)
    }

    static func == (a: PageRecord, b: PageRecord) -> Bool {
        a.sourcePath == b.sourcePath && a.sourceDigest == b.sourceDigest && a.outputPath == b.outputPath && a.outputDigest == b.outputDigest
            && a.firstParagraph == b.firstParagraph && a.wordCount == b.wordCount && a.drawsFromData == b.drawsFromData
            && a.layoutDigest == b.layoutDigest && a.dataDigest == b.dataDigest && a.details == b.details && a.clean == b.clean
    }
}

/// What a layout's template can see of the site, as the rebuild plan needs it.
struct LayoutDependencies: Sendable {
    /// Other pages than its own: `site.pages`, `site.tags`, `page.prev`, `page.next`,
    /// `page.translations`, or `site` or `page` whole. A page whose layout cannot is unaffected by edits to others.
    var readsPageLists: Bool
    /// A dataset: `data`, `site.data`, `chart()` or `table()`, or `site` whole.
    var readsData: Bool
    /// `page.cite`: its pages get a "Cite this" value and `cite.bib`/`cite.ris` files.
    var readsCite: Bool
    /// `page.citations` or `page.references`: its pages get their cited works as values
    /// (and, for `page.references`, the list is left out of `page.content`).
    var readsCitations: Bool
    /// `page.share_image` or `site.share_image`: the build draws share cards.
    var readsShareCards: Bool
    /// The templates it uses; nil when that may be any.
    var templates: Set<String>?
    var digest: String

    init(_ usage: TemplateUsage) {
        readsPageLists = usage.reads("site", "pages") || usage.reads("site", "tags") || usage.reads("page", "prev")
            || usage.reads("page", "next") || usage.reads("page", "translations")
        readsData = usage.readsAnything || usage.reads("data") || usage.reads("site", "data")
            || usage.functions.contains("chart") || usage.functions.contains("table")
        readsCite = usage.reads("page", "cite")
        readsCitations = usage.reads("page", "citations") || usage.reads("page", "references")
        readsShareCards = usage.reads("page", "share_image") || usage.reads("site", "share_image")
        templates = usage.templates
        digest = usage.digest
    }
}

/// What the previous run left that this one may reuse: its page records (by source
/// path; nil: the state's own, in the preview), the digest of its list of pages, and the
/// digests of the files its output holds (nil: the preview's folder, which only it writes,
/// holds what the records say).
struct PreviousRun: Sendable {
    var records: [String: PageRecord]?
    var listing: String
    var outputs: [String: String]?
    /// The pages that set their own URL when the records' Markdown was rendered
    /// (`ContentIndex.routes`).
    var routes: [String: String] = [:]
}

/// The rules that turn a change — found from digests against the build cache, or from
/// the watcher's events in the preview (which re-reads only the changed files, leaving
/// the others' digests as they were) — into the pages to redo. One set of rules for
/// `dossier build` and `dossier serve`:
///
/// - a page's **Markdown** is rendered again unless its record's source digest and
///   output path are the page's, and — if it draws charts or tables — the data's digest
///   is the record's;
/// - its **template** is rendered again unless its Markdown holds, its last rendering
///   was clean, its layout's templates are unchanged, and neither the list of pages (if
///   its layout reads it) nor the data (if its layout reads it) changed;
/// - the **site's own pages** (tags, 404, print view) and the feed and sitemap are made
///   whenever a page is redone, a page came or went, or templates or data changed.
struct RebuildPlan: Sendable {
    let previous: PreviousRun?
    let dataDigest: String

    /// `record` (the previous run's for `page`) if its Markdown facts still hold: the source and
    /// what it draws from are unchanged, and its rendering warned of nothing (a warning is
    /// printed by every build until it is fixed).
    func markdownHolds(for page: Page, record: PageRecord?) -> PageRecord? {
        guard let record, record.clean, record.sourceDigest == page.sourceDigest,
            record.outputPath == page.outputPath, !record.drawsFromData || record.dataDigest == dataDigest
        else { return nil }
        return record
    }

    /// The record whose output still holds for `page` (its template need not be rendered),
    /// once the list of pages is known to have changed or not.
    func outputHolds(for page: Page, record: PageRecord?, layout: LayoutDependencies, listingChanged: Bool) -> PageRecord? {
        guard let record = markdownHolds(for: page, record: record), record.clean, record.layoutDigest == layout.digest,
            !(listingChanged && layout.readsPageLists), !(layout.readsData && record.dataDigest != dataDigest),
            previous?.outputs.map({ $0[record.outputPath] == record.outputDigest }) ?? true
        else { return nil }
        return record
    }

    /// The pages a change can reach, when the change is known (the preview): those read
    /// again, and those whose layout's templates changed, or that read the list of pages
    /// or the data when that changed. (A build, not knowing, judges every page.)
    func candidates(reparsed: [Int], pagesByLayout: [String: [Int]], layouts: [String: LayoutDependencies],
                    changedLayouts: Set<String>, listingChanged: Bool, dataChanged: Bool) -> [Int] {
        var reached = Set(reparsed)
        for (layout, indices) in pagesByLayout {
            guard let dependencies = layouts[layout] else { reached.formUnion(indices); continue }
            if changedLayouts.contains(layout) || (listingChanged && dependencies.readsPageLists) || (dataChanged && dependencies.readsData) {
                reached.formUnion(indices)
            }
        }
        return reached.sorted()
    }

    /// Whether the list of pages as templates see it changed.
    func listingChanged(_ listing: String) -> Bool {
        previous?.listing != listing
    }
}

/// What changed in the site folder since the last run, from the preview's file watcher:
/// paths relative to the site folder (`Content/briefing.md`, `Templates/base.html`).
struct ChangeSet: Sendable {
    /// Articles changed, created or deleted.
    var articles: Set<String> = []
    /// Templates (by path under `Templates/`, assets excepted).
    var templates: Set<String> = []
    var assets = false
    var data = false
    /// `site.yaml`, a bibliography file or an interface strings file
    /// (`Templates/i18n/`): everything depends on them.
    var config = false
    /// Files beside the pages (published at their own paths).
    var files: Set<String> = []

    init(paths: Set<String>) {
        for path in paths {
            if path == "Content/" + SiteConfig.fileName || Bibliographies.isBibliography(path) || path.hasPrefix("Templates/\(UIStrings.folder)/") {
                config = true
            } else if path.hasPrefix("Content/data/") {
                data = true
            } else if path.hasPrefix("Content/") && path.hasSuffix(".md") {
                articles.insert(path)
            } else if path.hasPrefix("Content/"), SiteLoader.isPublished(String(path.dropFirst("Content/".count))) {
                files.insert(path)
            } else if path.hasPrefix("Templates/assets/") {
                assets = true
            } else if path.hasPrefix("Templates/") {
                templates.insert(String(path.dropFirst("Templates/".count)))
            }
        }
    }

    /// The site's own pages (tags, 404, print view), feed and sitemap must be made before
    /// the browser reloads: templates or data changed (a page that went away is found by
    /// the parse step, `SiteSession`). Otherwise the preview makes them just after the reload.
    var needsSitePagesNow: Bool { !templates.isEmpty || data || !files.isEmpty }
}
