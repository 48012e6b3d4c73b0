import CBytes
#if canImport(Glibc)
import Glibc
#endif

/// Byte-level scanning of rendered HTML. Foundation's `range(of:)` on Linux converts to
/// UTF-16 on every call, which made link checking quadratic; these work on UTF-8 bytes.
public enum HTMLScanner {
    /// Index of the first occurrence of `needle` in `bytes` at or after `start` (glibc's
    /// `memmem`: a memchr-and-memcmp loop on a needle starting with a space stopped at
    /// every space of the page).
    public static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard !needle.isEmpty, start <= bytes.count, needle.count <= bytes.count - start else { return nil }
        return bytes.withUnsafeBytes { hay -> Int? in
            needle.withUnsafeBytes { pin -> Int? in
                guard let hit = dossier_memmem(hay.baseAddress! + start, hay.count - start, pin.baseAddress!, pin.count) else { return nil }
                return hay.baseAddress!.distance(to: UnsafeRawPointer(hit))
            }
        }
    }

    /// The attributes a link check reads.
    public enum LinkAttribute: Sendable { case href, src, id }

    /// Calls `body` with every ` href="…"`, ` src="…"` and ` id="…"` value, in document
    /// order, in one pass: `memchr` for each `=`, then a look at the name before it.
    public static func forEachAttribute(in html: String, _ body: (LinkAttribute, String) -> Void) {
        forEachAttribute(in: html) { name, value, _ in body(name, value) }
    }

    /// As above, with the UTF-8 offset of each value in `html`.
    public static func forEachAttribute(in html: String, _ body: (LinkAttribute, String, Int) -> Void) {
        var html = html
        html.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let n = bytes.count
            func ends(_ at: Int, with name: StaticString) -> Bool {
                let count = name.utf8CodeUnitCount
                return at >= count && memcmp(base + at - count, name.utf8Start, count) == 0
            }
            var i = 0
            while i < n, let hit = memchr(base + i, Int32(UInt8(ascii: "=")), n - i) {
                let at = UnsafePointer<UInt8>(base).distance(to: hit.assumingMemoryBound(to: UInt8.self))
                i = at + 1
                guard at + 1 < n, base[at + 1] == UInt8(ascii: "\"") else { continue }
                let name: LinkAttribute
                if ends(at, with: " href") { name = .href } else if ends(at, with: " src") { name = .src } else if ends(at, with: " id") { name = .id } else { continue }
                let valueStart = at + 2
                guard let close = memchr(base + valueStart, Int32(UInt8(ascii: "\"")), n - valueStart) else { return }
                let valueEnd = UnsafePointer<UInt8>(base).distance(to: close.assumingMemoryBound(to: UInt8.self))
                body(name, String(decoding: UnsafeBufferPointer(start: base + valueStart, count: valueEnd - valueStart), as: UTF8.self), valueStart)
                i = valueEnd + 1
            }
        }
    }

    /// Every `<name …>` start tag and the UTF-8 offset of its `<` in `html`.
    public static func startTags(_ name: String, in html: String) -> [(text: String, offset: Int)] {
        let bytes = Array(html.utf8)
        let marker = Array("<\(name)".utf8)
        var tags: [(text: String, offset: Int)] = []
        var i = 0
        while let start = find(marker, in: bytes, from: i) {
            let after = start + marker.count
            guard after < bytes.count else { break }
            let next = bytes[after]
            guard next == UInt8(ascii: " ") || next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || next == UInt8(ascii: "\n") else {
                i = after
                continue
            }
            guard let end = bytes[after...].firstIndex(of: UInt8(ascii: ">")) else { break }
            tags.append((String(decoding: bytes[start...end], as: UTF8.self), start))
            i = end + 1
        }
        return tags
    }

    /// Applies `transform` to the value of every ` name="…"` attribute.
    public static func rewriteAttributeValues(_ name: String, in html: String, _ transform: (String) -> String) -> String {
        let bytes = Array(html.utf8)
        let marker = Array(" \(name)=\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var i = 0
        while let start = find(marker, in: bytes, from: i) {
            let valueStart = start + marker.count
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { break }
            out += bytes[i..<valueStart]
            out += Array(transform(String(decoding: bytes[valueStart..<end], as: UTF8.self)).utf8)
            i = end
        }
        out += bytes[i...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Replaces every occurrence of `needle` with `replacement`.
    public static func replacing(_ needle: String, with replacement: String, in text: String) -> String {
        let bytes = Array(text.utf8)
        let n = Array(needle.utf8), r = Array(replacement.utf8)
        guard find(n, in: bytes) != nil else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while let at = find(n, in: bytes, from: i) {
            out += bytes[i..<at]
            out += r
            i = at + n.count
        }
        out += bytes[i...]
        return String(decoding: out, as: UTF8.self)
    }
}
