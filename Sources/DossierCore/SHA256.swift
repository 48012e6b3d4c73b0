import CBytes

/// SHA-256 (FIPS 180-4), for the output manifest: a small C routine that uses the x86 SHA
/// instructions where the processor has them (see Sources/CBytes), rather than a
/// cryptography package for one digest.
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hex digits. `hardware: false` forces the
    /// portable code path (tests compare the two).
    public static func hex(_ bytes: UnsafeRawBufferPointer, hardware: Bool = true) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { dossier_sha256(bytes.baseAddress, bytes.count, $0.baseAddress!, hardware ? 1 : 0) }
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 64) { out in
            for (i, byte) in digest.enumerated() {
                out[2 * i] = digits[Int(byte >> 4)]
                out[2 * i + 1] = digits[Int(byte & 0xF)]
            }
            return 64
        }
    }

    public static func hex<C: Collection>(_ bytes: C, hardware: Bool = true) -> String where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hex(UnsafeRawBufferPointer($0), hardware: hardware) }) { return digest }
        return Array(bytes).withUnsafeBytes { hex($0, hardware: hardware) }
    }

}
