import DossierCore

/// Unsigned LEB128 integers (most are small), strings as a length and UTF-8 bytes.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int) {
        var u = UInt64(bitPattern: Int64(v))
        while u >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: u) | 0x80)
            u >>= 7
        }
        bytes.append(UInt8(u))
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func strings(_ list: [String]) { int(list.count); list.forEach { string($0) } }
}

struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset: Int
    var atEnd: Bool { offset == bytes.count }

    mutating func int() -> Int? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return Int(Int64(bitPattern: result)) }
            shift += 7
        }
        return nil
    }

    /// A count of things that take at least a byte each: never negative, never more than
    /// the bytes left (so a damaged file cannot ask for a huge allocation).
    mutating func count() -> Int? {
        guard let n = int(), n >= 0, n <= bytes.count - offset else { return nil }
        return n
    }

    mutating func string() -> String? {
        guard let n = int(), n >= 0, n <= bytes.count - offset else { return nil }
        defer { offset += n }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
    }

    /// A length-prefixed run of bytes.
    mutating func blob() -> [UInt8]? {
        guard let n = count() else { return nil }
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    mutating func strings() -> [String]? {
        guard let n = count() else { return nil }
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0..<n {
            guard let s = string() else { return nil }
            list.append(s)
        }
        return list
    }
}
