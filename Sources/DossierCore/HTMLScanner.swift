#if canImport(Glibc)
import Glibc
#endif

/// Byte-level scanning of rendered HTML. Foundation's `range(of:)` on Linux converts to
/// UTF-16 on every call, which made link checking quadratic; these work on UTF-8 bytes.
public enum HTMLScanner {
    /// Index of the first occurrence of `needle` in `bytes` at or after `start`
    /// (memchr for the first byte, memcmp for the rest).
    public static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, start <= bytes.count, needle.count <= bytes.count - start else { return nil }
        return bytes.withUnsafeBytes { hay -> Int? in
            needle.withUnsafeBytes { pin -> Int? in
                let base = hay.baseAddress!
                var position = start
                let last = hay.count - pin.count
                while position <= last {
                    guard let hit = memchr(base + position, Int32(first), last - position + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, pin.baseAddress!, pin.count) == 0 { return at }
                    position = at + 1
                }
                return nil
            }
        }
    }

    /// Values of every ` name="…"` attribute, in document order.
    public static func attributeValues(_ name: String, in html: String) -> [String] {
        let bytes = Array(html.utf8)
        let marker = Array(" \(name)=\"".utf8)
        var values: [String] = []
        var i = 0
        while let start = find(marker, in: bytes, from: i) {
            let valueStart = start + marker.count
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { break }
            values.append(String(decoding: bytes[valueStart..<end], as: UTF8.self))
            i = end + 1
        }
        return values
    }

    /// The text of every `<name …>` start tag.
    public static func startTags(_ name: String, in html: String) -> [String] {
        let bytes = Array(html.utf8)
        let marker = Array("<\(name)".utf8)
        var tags: [String] = []
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
            tags.append(String(decoding: bytes[start...end], as: UTF8.self))
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
