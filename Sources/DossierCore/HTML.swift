import CBytes
/// Escaping for the contexts Dossier writes into. Untrusted text goes through here.
public enum HTML {
    /// Escapes text for element content and for attribute values in either quote style.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            var firstSpecial: Int?
            for (i, b) in bytes.enumerated() where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
                firstSpecial = i
                break
            }
            guard let start = firstSpecial else { return String(decoding: bytes, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
            out.append(contentsOf: bytes[0..<start])
            for b in bytes[start...] {
                switch b {
                case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
                case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
                case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Words in `text`: runs of non-space bytes (ASCII white space separates them). The
    /// counting is `dossier_count_words` (Sources/CBytes/words.c), as for Markdown pages.
    public static func wordCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            var afterSpace: Int32 = 1
            return dossier_count_words(base, bytes.count, &afterSpace)
        }
    }

    /// Removes tags and decodes the few entities our own renderers emit, for plain-text
    /// summaries and `<title>`s.
    public static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for ch in html {
            if ch == "<" { inTag = true; continue }
            if ch == ">" && inTag { inTag = false; continue }
            if !inTag { out.append(ch) }
        }
        return decodeBasicEntities(out)
    }

    /// `&lt;` `&gt;` `&quot;` `&#39;` `&amp;` → the characters, in one pass over the bytes
    /// (`&amp;lt;` stays `&lt;`); other entities are left as they are.
    public static func decodeBasicEntities(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "&")) else { return s }
        let entities: [(name: [UInt8], character: UInt8)] = [
            (Array("&lt;".utf8), UInt8(ascii: "<")), (Array("&gt;".utf8), UInt8(ascii: ">")),
            (Array("&quot;".utf8), UInt8(ascii: "\"")), (Array("&#39;".utf8), UInt8(ascii: "'")),
            (Array("&amp;".utf8), UInt8(ascii: "&")),
        ]
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        outer: while i < bytes.count {
            if bytes[i] == UInt8(ascii: "&") {
                for (name, character) in entities where bytes[i...].starts(with: name) {
                    out.append(character)
                    i += name.count
                    continue outer
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when a URL's scheme can run code in the browser (`javascript:`, `vbscript:`,
    /// `data:`), ignoring case, whitespace and control characters as browsers do.
    public static func isDangerousURL(_ url: String) -> Bool {
        let cleaned = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })).lowercased()
        return cleaned.hasPrefix("javascript:") || cleaned.hasPrefix("vbscript:") || cleaned.hasPrefix("data:")
    }
}

/// Turns headings and names into URL- and id-safe slugs. Letters of any script are kept
/// (a Korean heading keeps its Hangul), everything else becomes a single hyphen.
public enum Slug {
    public static func make(_ text: String) -> String {
        // ASCII, the usual case, without Unicode property look-ups.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            var pendingHyphen = false
            for b in text.utf8 {
                let lower = b >= 0x41 && b <= 0x5A ? b + 32 : b
                if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                    if pendingHyphen && !out.isEmpty { out.append(0x2D) }
                    pendingHyphen = false
                    out.append(lower)
                } else if lower != 0x27 {
                    pendingHyphen = true
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        var out = ""
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingHyphen && !out.isEmpty { out += "-" }
                pendingHyphen = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "’" {
                continue  // "Korea's" → "koreas"
            } else {
                pendingHyphen = true
            }
        }
        return out
    }

    /// A slug not yet in `taken`, adding `-2`, `-3` … as needed; records it.
    public static func unique(_ base: String, fallback: String = "section", taken: inout Set<String>) -> String {
        var slugs = UniqueSlugs(taken: taken)
        let slug = slugs.make(base, fallback: fallback)
        taken = slugs.taken
        return slug
    }
}

/// Slugs made unique within one page (`a`, `a-2`, `a-3`…) in time linear in their number:
/// each root remembers the next suffix to try, so 40,000 identical headings do not try
/// 1 + 2 + … + 40,000 candidates.
public struct UniqueSlugs: Sendable {
    public private(set) var taken: Set<String>
    private var next: [String: Int] = [:]

    public init(taken: Set<String> = []) { self.taken = taken }

    public mutating func make(_ base: String, fallback: String = "section") -> String {
        let root = base.isEmpty ? fallback : base
        var candidate = root
        var n = next[root] ?? 2
        while taken.contains(candidate) {
            candidate = "\(root)-\(n)"
            n += 1
        }
        next[root] = n
        taken.insert(candidate)
        return candidate
    }
}

extension HTML {
    /// `text` with every character that XML 1.0 forbids or HTML's parser reports as an
    /// error (NUL and the other C0 controls but tab, LF and CR; DEL; C1 controls;
    /// U+FDD0–U+FDEF, U+FFFE, U+FFFF) replaced by U+FFFD. A title holding a NUL would
    /// otherwise make `feed.xml` unreadable to every feed reader. Applied to every HTML,
    /// XML and SVG file a build writes (`OutputFile`).
    public static func replacingInvalidCharacters(_ text: String) -> String {
        var scanned = text
        let first = scanned.withUTF8 { bytes in bytes.baseAddress.map { dossier_markup_invalid_offset($0, bytes.count) } ?? -1 }
        guard first >= 0 else { return text }  // nearly always: no copy
        return scanned.withUTF8 { bytes -> String in
            guard let base = bytes.baseAddress else { return "" }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[0..<first])
            var i = first
            while i < bytes.count {
                let bad = dossier_markup_invalid_length(base + i, bytes.count - i)
                if bad > 0 {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    i += bad
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
