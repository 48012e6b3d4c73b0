/// Rules for the URLs Dossier makes from file names and for the base URL a site declares.
public enum URLPath {
    /// A path as a URL path: every byte that cannot stand in one — space, `#`, `?`, `%`,
    /// quotes, angle brackets, backslash, control characters — percent-encoded; `/` and
    /// other characters (letters of any script included, as IRIs allow) kept. A file named
    /// `Q&A #2.md` gets the URL `/Q&A%20%232/`, which every host maps back to the file.
    public static func encode(_ path: String) -> String {
        guard path.utf8.contains(where: needsEncoding) else { return path }
        // Bytes ≥ 0x80 are kept whole, so the result stays valid UTF-8.
        return String(decoding: reencode(path), as: UTF8.self)
    }

    /// A URL that `encode` made (its `%` already escapes) with every non-ASCII byte
    /// percent-encoded too: what a sitemap's `<loc>` needs (RFC 3986).
    public static func encodeASCII(_ url: String) -> String {
        var out = ""
        for byte in url.utf8 {
            if byte >= 0x80 || (byte != UInt8(ascii: "%") && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "?") && needsEncoding(byte)) {
                out += hex(byte)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    /// Why `base` cannot be a site's base URL, or nil when it can: a path (`/briefing/`)
    /// or an `http(s)://host/…` address, with no query, fragment, spaces or control
    /// characters. `//host/` would be taken as a path by some readers and as another
    /// site by browsers, so it is refused.
    public static func baseURLProblem(_ base: String) -> String? {
        if base.utf8.contains(where: { $0 < 0x21 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) {
            return "must not contain spaces, backslashes or control characters"
        }
        if base.contains("?") || base.contains("#") { return "must not contain a query ('?') or a fragment ('#')" }
        if base.hasPrefix("//") { return "must not start with '//' (that names another host); write https://HOST/… or a path such as /briefing/" }
        if base.hasPrefix("/") { return nil }
        for scheme in ["https://", "http://"] where base.lowercased().hasPrefix(scheme) {
            let rest = base.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" }
            if host.isEmpty || host.contains("@") { return "must name a host after \(scheme) (and no user name)" }
            return nil
        }
        return "must start with '/', 'http://' or 'https://'"
    }

    @inline(__always) static func needsEncoding(_ b: UInt8) -> Bool {
        switch b {
        case 0..<0x21, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "?"), UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"),
            UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "%"), digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
    }

    private static func reencode(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        for byte in path.utf8 {
            if needsEncoding(byte) { out += Array(hex(byte).utf8) } else { out.append(byte) }
        }
        return out
    }

    /// Resolves `.` and `..` in an absolute path (`/a/../b/` → `/b/`); nil if it climbs
    /// above the root.
    public static func normalise(_ path: String) -> String? {
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

    /// A relative file path resolved the same way (`a/../b.bib` → `b.bib`); nil when it
    /// climbs out of its root or names the root itself.
    public static func normaliseRelative(_ path: String) -> String? {
        guard let absolute = normalise("/" + path), absolute != "/" else { return nil }
        return String(absolute.dropFirst())
    }
}
