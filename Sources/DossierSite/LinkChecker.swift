import DossierCore
import DossierMarkdown
import DossierTemplates
import Foundation

/// Checks a rendered site as a reader's browser would meet it: every internal link and
/// `#anchor` leads somewhere, every image and asset exists, images have alt text, and
/// headings do not skip levels. Pure: it reads the rendered pages, not the disk.
struct LinkChecker: Sendable {
    struct PageInput: Sendable {
        var outputPath: String
        var url: String
        var scan: PageScan
        var sourcePath: String
        var markdownLinks: [LinkReference]
        var headings: [Heading]
        /// Where a spot of `scan` is, in the templates that rendered the page.
        var locate: @Sendable (TemplateSpot) -> (location: SourceLocation, line: String)?
    }

    let urls: SiteURLs
    /// Every file of the site, relative to the output folder.
    let files: Set<String>
    /// The ids of an HTML page, by output path.
    let ids: @Sendable (String) -> IDList?

    init(urls: SiteURLs, files: Set<String>, ids: @escaping @Sendable (String) -> IDList?) {
        self.urls = urls
        self.files = files
        self.ids = ids
    }

    func check(_ pages: [PageInput], threads: Int = 1) -> [Diagnostic] {
        pages.parallelMap(threads: threads) { check($0) }.flatMap { $0 }
    }

    /// The problems on one page.
    func check(_ page: PageInput) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var seen: Set<String> = []
        var linkLocations: [String: SourceLocation]?  // made at the first problem, once per page
        for (attribute, values, first) in [("href", page.scan.hrefs, 0), ("src", page.scan.srcs, page.scan.hrefs.count)] {
            for (k, raw) in values.enumerated() {
                let url = HTML.decodeBasicEntities(raw)
                guard seen.insert(attribute + url).inserted, let problem = resolve(url, from: page) else { continue }
                if linkLocations == nil {
                    var first: [String: SourceLocation] = [:]
                    for link in page.markdownLinks where first[link.url] == nil { first[link.url] = link.location }
                    linkLocations = first
                }
                problems.append(diagnostic(problem, url: url, attribute: first + k, page: page, markdownLinks: linkLocations!))
            }
        }
        for link in page.markdownLinks where link.isImage && link.text.trimmingSpaces.isEmpty {
            problems.append(.warning("image '\(link.url)' has no alt text: describe it in ![…](…)", at: link.location))
        }
        for k in page.scan.imagesWithoutAlt.indices {
            let found = page.scan.spot(of: page.scan.hrefs.count + page.scan.srcs.count + k).flatMap(page.locate)
            problems.append(Diagnostic(.warning, "an <img> has no alt attribute (use alt=\"\" for decoration)",
                                       at: found?.location ?? SourceLocation(path: "Output/" + page.outputPath, line: 1), sourceLine: found?.line))
        }
        var previous = 1  // the page template's <h1>
        for heading in page.headings {
            if heading.level > previous + 1 {
                problems.append(.warning("heading level jumps from h\(previous) to h\(heading.level) ('\(heading.text)')",
                                         at: SourceLocation(path: page.sourcePath, line: heading.line)))
            }
            previous = heading.level
        }
        return problems
    }

    /// Nil when `url` resolves, else what is wrong with it.
    func resolve(_ url: String, from page: PageInput) -> String? {
        if url.isEmpty { return "an empty link" }
        if url.hasPrefix("//") || SiteURLs.hasScheme(url) { return nil }  // external: not checked
        // Split on bytes: `Character` indexing (grapheme breaking) was most of a check.
        var path = url
        var fragment: String?
        if let hash = path.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = String(path[path.utf8.index(after: hash)...])
            path = String(path[..<hash])
        }
        if let query = path.utf8.firstIndex(of: UInt8(ascii: "?")) { path = String(path[..<query]) }
        if path.utf8.contains(UInt8(ascii: "%")) { path = path.removingPercentEncoding ?? path }

        var target: String
        if path.isEmpty {
            target = page.outputPath
        } else {
            var absolute: String
            if path.hasPrefix("/") {
                switch urls.target(ofRootRelative: path) {
                case .site(let sitePath): absolute = sitePath
                case .outside: return "'\(url)' is outside the site's base path \(urls.basePath)/ (use relative_url in templates)"
                }
            } else {
                let directory = page.url.hasSuffix("/") ? page.url : String(page.url[...page.url.utf8.lastIndex(of: UInt8(ascii: "/"))!])
                absolute = directory + path
            }
            guard let normalised = URLPath.normalise(absolute) else { return "'\(url)' climbs above the site's root" }
            let relative = String(normalised.dropFirst())
            if relative.isEmpty || normalised.hasSuffix("/") {
                target = relative + "index.html"
            } else if files.contains(relative) {
                target = relative
            } else if files.contains(relative + "/index.html") {
                target = relative + "/index.html"
            } else {
                return "nothing at '\(url)'"
            }
            guard files.contains(target) else { return "nothing at '\(url)'" }
        }
        if let fragment, !fragment.isEmpty, let targetIDs = ids(target), !targetIDs.contains(fragment) {
            let pageURL = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
            return target == page.outputPath ? "no element with id '\(fragment)' on this page" : "no element with id '\(fragment)' on '\(pageURL)'"
        }
        return nil
    }

    /// `markdownLinks`: where each URL first appears in the page's Markdown; `attribute`:
    /// the link's position in the page's scan.
    private func diagnostic(_ problem: String, url: String, attribute: Int, page: PageInput,
                            markdownLinks: [String: SourceLocation]) -> Diagnostic {
        let original = urls.asWritten(url)
        if let location = markdownLinks[url] ?? markdownLinks[original] {
            return .warning("broken link: \(problem)", at: location)
        }
        if let found = page.scan.spot(of: attribute).flatMap(page.locate) {
            return Diagnostic(.warning, "broken link on \(page.url): \(problem)", at: found.location, sourceLine: found.line)
        }
        return .warning("broken link: \(problem)", at: SourceLocation(path: "Output/" + page.outputPath, line: 1))
    }
}

/// Where a template wrote one of a page's attributes: `attribute` counts the page's hrefs,
/// then its srcs, then its images without alt text; `template` is a position in
/// `TemplateLibrary.templatesUsed(by:)` of the page's template.
struct TemplateSpot: Sendable, Equatable {
    var attribute: Int
    var template: Int
    var line: Int
    var column: Int
}

extension TemplateLibrary {
    /// A spot of a page rendered from `layout` (a template name), with its source line.
    func locate(_ spot: TemplateSpot, renderedFrom layout: String) -> (location: SourceLocation, line: String)? {
        let used = templatesUsed(by: layout)
        guard used.indices.contains(spot.template) else { return nil }
        let template = used[spot.template]
        return (SourceLocation(path: template.path, line: spot.line, column: spot.column), template.line(spot.line) ?? "")
    }
}

/// What the checks need from a rendered page — its links, ids and images without alt
/// text, and where templates wrote them — so that the page's HTML can be written and let
/// go at once.
struct PageScan: Sendable, Equatable {
    var hrefs: [String]
    var srcs: [String]
    var ids: IDList
    var imagesWithoutAlt: [String]
    /// Where templates wrote those attributes (those they wrote: a Markdown link is located
    /// in its Markdown), in the order of `attribute`.
    var spots: [TemplateSpot]

    init(hrefs: [String], srcs: [String], ids: IDList, imagesWithoutAlt: [String], spots: [TemplateSpot] = []) {
        self.hrefs = hrefs
        self.srcs = srcs
        self.ids = ids
        self.imagesWithoutAlt = imagesWithoutAlt
        self.spots = spots
    }

    /// `map` (with `templates`, those the render used: `templatesUsed(by:)`) says where
    /// templates wrote each stretch of `html`.
    init(_ html: String, map: OutputMap? = nil, templates: [Template] = []) {
        var hrefs: [String] = [], srcs: [String] = [], ids: [String] = []
        var hrefOffsets: [Int] = [], srcOffsets: [Int] = []
        HTMLScanner.forEachAttribute(in: html) { name, value, offset in
            switch name {
            case .href: hrefs.append(value); hrefOffsets.append(offset)
            case .src: srcs.append(value); srcOffsets.append(offset)
            case .id: ids.append(value)
            }
        }
        let images = HTMLScanner.startTags("img", in: html).filter { !$0.text.contains(" alt=") }
        self.hrefs = hrefs
        self.srcs = srcs
        self.ids = IDList(ids)
        imagesWithoutAlt = images.map(\.text)
        spots = []
        guard let map else { return }
        var position: [String: Int] = [:]
        for (i, t) in templates.enumerated() { position[t.path] = i }
        for (k, offset) in (hrefOffsets + srcOffsets + images.map(\.offset)).enumerated() {
            guard let origin = map.origin(ofByte: offset), let template = position[origin.location.path] else { continue }
            spots.append(TemplateSpot(attribute: k, template: template, line: origin.location.line, column: origin.location.column))
        }
    }

    /// Where a template wrote attribute `k`, if one did.
    func spot(of k: Int) -> TemplateSpot? {
        var low = 0, high = spots.count
        while low < high {
            let mid = (low + high) / 2
            if spots[mid].attribute < k { low = mid + 1 } else { high = mid }
        }
        return low < spots.count && spots[low].attribute == k ? spots[low] : nil
    }
}

/// A page's ids, sorted and unique, searched by halves: a `Set` of the few dozen ids of
/// each of a hundred thousand pages cost twice the memory.
struct IDList: Sendable, Equatable, ExpressibleByArrayLiteral {
    let sorted: [String]

    init(_ ids: some Sequence<String>) {
        var list = ids.sorted()
        var unique = 0
        for i in list.indices where i == 0 || list[i] != list[unique - 1] {
            list[unique] = list[i]
            unique += 1
        }
        list.removeLast(list.count - unique)
        sorted = list
    }

    init(arrayLiteral ids: String...) { self.init(ids) }

    func contains(_ id: String) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == id
    }
}
