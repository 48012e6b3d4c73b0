import DossierCore
import DossierMarkdown
import DossierTemplates

/// What a run of the pipeline learnt about one page — all that later steps and the next
/// run need, without its HTML: the Markdown's facts (headings, links, summary paragraph,
/// word count), what the page was rendered from (digests of its source, layout, data and
/// short form) and what its HTML holds for the checks. The build cache keeps these on
/// disk between builds; the preview keeps them in memory between edits.
struct PageRecord: Sendable, Equatable {
    var sourceDigest: String
    var outputPath: String
    var outputDigest: String
    var firstParagraph: String
    var wordCount: Int
    var drawsFromData: Bool
    /// `TemplateUsage.digest` of the page's layout when it was rendered.
    var layoutDigest: String
    /// The data's digest when it was rendered.
    var dataDigest: String
    var headings: [Heading]
    var links: [LinkReference]
    var scan: PageScan
    /// Its rendering printed no warning (a page that did is rendered again, so that its
    /// warnings are printed again).
    var clean = true
}

/// What a layout's template can see of the site, as the rebuild plan needs it.
struct LayoutDependencies: Sendable {
    /// Other pages than its own: `site.pages`, `site.tags`, `page.prev`, `page.next`, or
    /// `site` or `page` whole. A page whose layout cannot is unaffected by edits to others.
    var readsPageLists: Bool
    /// A dataset: `data`, `site.data`, `chart()` or `table()`, or `site` whole.
    var readsData: Bool
    /// The templates it uses; nil when that may be any.
    var templates: Set<String>?
    var digest: String

    init(_ usage: TemplateUsage) {
        readsPageLists = usage.reads("site", "pages") || usage.reads("site", "tags") || usage.reads("page", "prev")
            || usage.reads("page", "next")
        readsData = usage.readsAnything || usage.reads("data") || usage.reads("site", "data")
            || usage.functions.contains("chart") || usage.functions.contains("table")
        templates = usage.templates
        digest = usage.digest
    }
}

/// What the previous run left that this one may reuse: its page records (by source
/// path), the digest of its list of pages, and the digests of the files it wrote.
struct PreviousRun: Sendable {
    var records: [String: PageRecord]
    var listing: String
    var outputs: [String: String]
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

    /// The record whose Markdown facts still hold for `page`, if any.
    func markdownHolds(for page: Page) -> PageRecord? {
        guard let record = previous?.records[page.sourcePath], record.sourceDigest == page.sourceDigest,
            record.outputPath == page.outputPath, !record.drawsFromData || record.dataDigest == dataDigest
        else { return nil }
        return record
    }

    /// The record whose output still holds for `page` (its template need not be rendered),
    /// once the list of pages is known to have changed or not.
    func outputHolds(for page: Page, layout: LayoutDependencies, listingChanged: Bool) -> PageRecord? {
        guard let record = markdownHolds(for: page), record.clean, record.layoutDigest == layout.digest,
            !(listingChanged && layout.readsPageLists), !(layout.readsData && record.dataDigest != dataDigest),
            previous?.outputs[record.outputPath] == record.outputDigest
        else { return nil }
        return record
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
    /// `site.yaml`: everything depends on it.
    var config = false

    init(paths: Set<String>) {
        for path in paths {
            if path == "Content/" + SiteConfig.fileName {
                config = true
            } else if path.hasPrefix("Content/data/") {
                data = true
            } else if path.hasPrefix("Content/") && path.hasSuffix(".md") {
                articles.insert(path)
            } else if path.hasPrefix("Templates/assets/") {
                assets = true
            } else if path.hasPrefix("Templates/") {
                templates.insert(String(path.dropFirst("Templates/".count)))
            }
        }
    }

    /// The site's own pages (tags, 404, print view), feed and sitemap must be made before
    /// the browser reloads: templates or data changed, or a page went away. Otherwise the
    /// preview makes them just after the reload.
    func needsSitePagesNow(pagesRemoved: Bool) -> Bool {
        !templates.isEmpty || data || pagesRemoved
    }
}
