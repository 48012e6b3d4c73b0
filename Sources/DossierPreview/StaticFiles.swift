import Foundation

/// Serves the built site from one folder and nothing outside it: every request path is
/// decoded once and refused (404) if it holds `..`, an encoded slash or backslash, a NUL,
/// a backslash, a hidden segment, or resolves — through symbolic links — outside the root.
/// Folders serve their `index.html`; there are no directory listings.
struct StaticFiles: Sendable {
    let root: URL
    /// Inserted before `</body>` of every HTML page (the live-reload script).
    let htmlInjection: String

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8", "svg": "image/svg+xml",
        "json": "application/json", "csv": "text/csv; charset=utf-8", "xml": "application/xml", "txt": "text/plain; charset=utf-8",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "avif": "image/avif", "ico": "image/x-icon", "woff": "font/woff", "woff2": "font/woff2", "pdf": "application/pdf",
    ]

    enum Resolution: Equatable {
        case file(URL)
        case redirect(String)
        case notFound
    }

    /// Maps a request path to a file under the root, or refuses it.
    func resolve(_ rawPath: String) -> Resolution {
        guard rawPath.hasPrefix("/") else { return .notFound }
        let lowered = rawPath.lowercased()
        if lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("%00") || rawPath.contains("\\") { return .notFound }
        guard let decoded = rawPath.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else { return .notFound }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") }) { return .notFound }
        let realRoot = root.resolvingSymlinksInPath().standardizedFileURL.path
        var candidate = root.appendingPathComponent(segments.joined(separator: "/"))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            if !decoded.hasSuffix("/") { return .redirect(rawPath + "/") }
            candidate = candidate.appendingPathComponent("index.html")
            guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return .notFound }
        }
        let real = candidate.resolvingSymlinksInPath().standardizedFileURL.path
        guard real.hasPrefix(realRoot + "/") else { return .notFound }
        return .file(URL(fileURLWithPath: real))
    }

    func response(for path: String) -> HTTPResponse {
        switch resolve(path) {
        case .file(let url):
            guard var data = FileManager.default.contents(atPath: url.path) else { return notFound() }
            let type = Self.contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream"
            if type.hasPrefix("text/html") { data = inject(data) }
            return HTTPResponse(status: 200, contentType: type, body: data)
        case .redirect(let location):
            return HTTPResponse(status: 301, body: Data(), headers: [("Location", location)])
        case .notFound:
            return notFound()
        }
    }

    /// The site's own 404 page when it has one.
    func notFound() -> HTTPResponse {
        let page = root.appendingPathComponent("404.html")
        if let data = FileManager.default.contents(atPath: page.path) {
            return HTTPResponse(status: 404, contentType: "text/html; charset=utf-8", body: inject(data))
        }
        return .text(404, "Not found")
    }

    func inject(_ html: Data) -> Data {
        guard !htmlInjection.isEmpty else { return html }
        let marker = Data("</body>".utf8)
        if let range = html.range(of: marker, options: .backwards) {
            var out = html
            out.replaceSubrange(range.lowerBound..<range.lowerBound, with: Data(htmlInjection.utf8))
            return out
        }
        return html + Data(htmlInjection.utf8)
    }
}
