/// The one place that knows where a site's files are on the web: its base URL (which may
/// be a sub-path, e.g. `https://example.github.io/briefing/`), the URLs of its pages, data
/// downloads and assets, and — for the link checker — which site path a link in a
/// rendered page points at. Markdown link rewriting, templates (`relative_url`,
/// `absolute_url`, `page.url`), feeds and the checks all ask it, so the base path is added
/// and taken off in one file.
///
/// Site paths (`/a/b/`, `/data/x.csv`) are what pages and files are known by inside a
/// build; URLs are what a reader's browser is given.
public struct SiteURLs: Sendable, Hashable {
    /// As configured, ending in `/`: `https://example.org/briefing/`, or `/`.
    public let baseURL: String
    /// The path part without its trailing slash: `/briefing`, or `` at the root.
    public let basePath: String
    /// `https://example.org`, or `` for a path-only base URL.
    public let origin: String

    public init(baseURL: String) {
        self.baseURL = baseURL
        var rest = baseURL
        var origin = ""
        if let scheme = rest.range(of: "://") {
            let afterScheme = rest[scheme.upperBound...]
            let host = afterScheme.firstIndex(of: "/").map { afterScheme[..<$0] } ?? afterScheme
            origin = String(rest[..<scheme.upperBound]) + host
            rest = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? ""
        }
        while rest.hasSuffix("/") { rest.removeLast() }
        basePath = rest
        self.origin = origin
    }

    /// `https://example.org/briefing` for an absolute base URL (feeds and the sitemap need
    /// one), else nil.
    public var absoluteRoot: String? {
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else { return nil }
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        return root
    }

    // MARK: Site path → URL

    /// The URL of a site path: `/a/` → `/briefing/a/`.
    public func url(_ sitePath: String) -> String { basePath + sitePath }

    /// The published CSV or JSON of a dataset.
    public func dataDownload(_ id: String, format: String) -> String { url("/data/\(id).\(format)") }

    /// A root-relative link or image URL written in Markdown (`/data/x.csv`) gets the base
    /// path; relative, absolute and protocol-relative ones pass unchanged.
    public func markdownLink(_ url: String) -> String {
        guard !basePath.isEmpty, url.hasPrefix("/"), !url.hasPrefix("//") else { return url }
        return basePath + url
    }

    /// `relative_url`: a site path (leading `/` optional) → its URL. `#fragments`, URLs with
    /// a scheme, protocol-relative URLs and URLs that already carry the base path (made by
    /// Dossier: `page.url`, data URLs) pass unchanged.
    public func relative(_ url: String) -> String {
        if url.hasPrefix("#") || url.hasPrefix("//") || Self.hasScheme(url) { return url }
        let path = url.hasPrefix("/") ? url : "/" + url
        if !basePath.isEmpty, path == basePath || path.hasPrefix(basePath + "/") { return path }
        return basePath + path
    }

    /// `absolute_url`: `relative`, then the origin in front of root-relative results.
    public func absolute(_ url: String) -> String {
        let relativeURL = relative(url)
        if relativeURL.hasPrefix("#") || Self.hasScheme(relativeURL) || relativeURL.hasPrefix("//") { return relativeURL }
        return origin + relativeURL
    }

    // MARK: URL → site path (the link checker)

    /// What a root-relative URL in a rendered page points at.
    public enum Target: Equatable, Sendable {
        case site(String)
        /// Under a sub-path base URL, a root-relative URL outside it.
        case outside
    }

    /// `/briefing/a/` → `.site("/a/")`; `/elsewhere/` → `.outside` (with base `/briefing`).
    public func target(ofRootRelative path: String) -> Target {
        guard !basePath.isEmpty else { return .site(path) }
        guard path == basePath || path.hasPrefix(basePath + "/") else { return .outside }
        return .site(String(path.dropFirst(basePath.count)))
    }

    /// The URL as written in the source, for finding it there: the base path taken off a
    /// URL that carries it (Markdown links were given it when rendered).
    public func asWritten(_ url: String) -> String {
        basePath.isEmpty || !url.hasPrefix(basePath + "/") ? url : String(url.dropFirst(basePath.count))
    }

    /// `scheme:` as RFC 3986 has it: an ASCII letter, then letters, digits, `+`, `-`, `.`.
    public static func hasScheme(_ url: String) -> Bool {
        let bytes = url.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = bytes[..<colon]
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        guard let first = scheme.first, isLetter(first) else { return false }
        return scheme.allSatisfy {
            isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }
}
