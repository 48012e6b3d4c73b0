import DossierCore
import DossierMarkdown
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
        /// Finds where text came from in the page's templates.
        var locateInTemplates: @Sendable (String) -> (location: SourceLocation, line: String)?
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
        for (attribute, values) in [("href", page.scan.hrefs), ("src", page.scan.srcs)] {
            for raw in values {
                let url = HTML.decodeBasicEntities(raw)
                guard seen.insert(attribute + url).inserted, let problem = resolve(url, from: page) else { continue }
                if linkLocations == nil {
                    var first: [String: SourceLocation] = [:]
                    for link in page.markdownLinks where first[link.url] == nil { first[link.url] = link.location }
                    linkLocations = first
                }
                problems.append(diagnostic(problem, url: url, raw: raw, page: page, markdownLinks: linkLocations!))
            }
        }
        for link in page.markdownLinks where link.isImage && link.text.trimmingSpaces.isEmpty {
            problems.append(.warning("image '\(link.url)' has no alt text: describe it in ![…](…)", at: link.location))
        }
        for tag in page.scan.imagesWithoutAlt {
            let found = page.locateInTemplates(String(tag.prefix(40)))
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
            guard let normalised = Self.normalise(absolute) else { return "'\(url)' climbs above the site's root" }
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

    /// `markdownLinks`: where each URL first appears in the page's Markdown.
    private func diagnostic(_ problem: String, url: String, raw: String, page: PageInput,
                            markdownLinks: [String: SourceLocation]) -> Diagnostic {
        let original = urls.asWritten(url)
        if let location = markdownLinks[url] ?? markdownLinks[original] {
            return .warning("broken link: \(problem)", at: location)
        }
        if let found = page.locateInTemplates(raw) ?? page.locateInTemplates(original) {
            return Diagnostic(.warning, "broken link on \(page.url): \(problem)", at: found.location, sourceLine: found.line)
        }
        return .warning("broken link: \(problem)", at: SourceLocation(path: "Output/" + page.outputPath, line: 1))
    }

    /// Resolves `.` and `..` in an absolute path; nil if it climbs above the root.
    static func normalise(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/") + (path.hasSuffix("/") && !parts.isEmpty ? "/" : "")
    }

}

/// What the checks need from a rendered page — its links, ids and images without alt
/// text — so that the page's HTML can be written and let go at once.
struct PageScan: Sendable, Equatable {
    var hrefs: [String]
    var srcs: [String]
    var ids: IDList
    var imagesWithoutAlt: [String]

    init(hrefs: [String], srcs: [String], ids: IDList, imagesWithoutAlt: [String]) {
        self.hrefs = hrefs
        self.srcs = srcs
        self.ids = ids
        self.imagesWithoutAlt = imagesWithoutAlt
    }

    /// `known`: strings the page holds already (its Markdown's link URLs and heading ids);
    /// an attribute equal to one shares its storage rather than keeping a copy (a large
    /// site keeps every page's scan until the checks).
    init(_ html: String, known: [String] = []) {
        var hrefs: [String] = [], srcs: [String] = [], ids: [String] = []
        var shared: [String: String] = [:]
        for string in known { shared[string] = string }
        HTMLScanner.forEachAttribute(in: html) { name, value in
            let value = shared[value] ?? value
            switch name {
            case .href: hrefs.append(value)
            case .src: srcs.append(value)
            case .id: ids.append(value)
            }
        }
        self.hrefs = hrefs
        self.srcs = srcs
        self.ids = IDList(ids)
        imagesWithoutAlt = HTMLScanner.startTags("img", in: html).filter { !$0.contains(" alt=") }
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
