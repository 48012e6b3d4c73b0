import DossierCore

/// URL helpers behind `url_encode`, `relative_url` and `absolute_url`.
enum URLText {
    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            && scheme.first!.isLetter
    }

    /// `/data/x.csv` → `/briefing/data/x.csv` under a sub-path base URL. Absolute URLs,
    /// `#fragments`, `mailto:` and paths that already start with the base path pass
    /// unchanged; code-running schemes are refused.
    static func relative(_ url: String, env: RenderEnvironment) throws(FilterError) -> String {
        if HTML.isDangerousURL(url) { throw FilterError("refusing the unsafe URL '\(url)'") }
        if url.hasPrefix("#") || url.hasPrefix("//") || hasScheme(url) { return url }
        let path = url.hasPrefix("/") ? url : "/" + url
        // URLs Dossier made (page.url, data URLs) already carry the base path.
        let base = env.basePath
        if !base.isEmpty, path == base || path.hasPrefix(base + "/") { return path }
        return base + path
    }

    static func absolute(_ url: String, env: RenderEnvironment) throws(FilterError) -> String {
        let relativeURL = try relative(url, env: env)
        if relativeURL.hasPrefix("#") { return relativeURL }
        if hasScheme(relativeURL) || relativeURL.hasPrefix("//") { return relativeURL }
        return env.origin + relativeURL
    }
}
