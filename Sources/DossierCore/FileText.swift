#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#else
private let systemRead = Darwin.read
#endif

/// Reads whole files with plain POSIX calls into one buffer (Foundation's
/// `FileManager.contents` plus `String(data:encoding:)` copied every article twice).
public enum FileText {
    /// The file's bytes, or nil when it cannot be opened or read.
    public static func bytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var result = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var count = 0
        while true {
            if count == result.count { result.append(contentsOf: repeatElement(0, count: max(4096, count))) }  // grew since fstat
            let n = result.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            count += n
        }
        result.removeSubrange(count...)
        return result
    }

    /// The file as text, or nil when it cannot be read or is not valid UTF-8.
    public static func read(_ path: String) -> String? {
        guard let bytes = bytes(path) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
