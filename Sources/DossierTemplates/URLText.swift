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

    /// `/data/x.csv` → `/briefing/data/x.csv` under a sub-path base URL (`SiteURLs.relative`);
    /// code-running schemes are refused.
    static func relative(_ url: String, env: RenderEnvironment) throws(FilterError) -> String {
        if HTML.isDangerousURL(url) { throw FilterError("refusing the unsafe URL '\(url)'") }
        return env.urls.relative(url)
    }

    static func absolute(_ url: String, env: RenderEnvironment) throws(FilterError) -> String {
        if HTML.isDangerousURL(url) { throw FilterError("refusing the unsafe URL '\(url)'") }
        return env.urls.absolute(url)
    }
}
