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
    /// Why a file could not be read as text.
    public enum Failure: Error, Equatable, Sendable {
        case missing
        /// A FIFO, socket, device or folder: never opened for reading (a FIFO would block).
        case notRegular
        /// Not UTF-8; the byte offset of the first invalid sequence.
        case notUTF8(offset: Int)
        case unreadable(String)

        /// "is not valid UTF-8 (at byte 12)", for "`path` …" messages.
        public var explanation: String {
            switch self {
            case .missing: return "does not exist"
            case .notRegular: return "is not a regular file"
            case .notUTF8(let offset): return "is not valid UTF-8 text (the first invalid byte is at offset \(offset))"
            case .unreadable(let reason): return "cannot be read: \(reason)"
            }
        }
    }

    /// The file's bytes, or nil when it cannot be opened or read.
    public static func bytes(_ path: String) -> [UInt8]? {
        try? loadBytes(path).get()
    }

    /// The file's bytes, or why they cannot be had. Only regular files are read.
    public static func loadBytes(_ path: String) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular) }
        var result = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var count = 0
        while true {
            if count == result.count { result.append(contentsOf: repeatElement(0, count: max(4096, count))) }  // grew since fstat
            let n = result.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 { if errno == EINTR { continue }; return .failure(.unreadable(String(cString: strerror(errno)))) }
            if n == 0 { break }
            count += n
        }
        result.removeSubrange(count...)
        return .success(result)
    }

    /// The file as text, or nil when it cannot be read or is not valid UTF-8.
    public static func read(_ path: String) -> String? {
        try? load(path).get()
    }

    /// The file as text, or why it cannot be read.
    public static func load(_ path: String) -> Result<String, Failure> {
        switch loadBytes(path) {
        case .failure(let f): return .failure(f)
        case .success(let bytes):
            if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
            return .failure(.notUTF8(offset: firstInvalidUTF8(bytes)))
        }
    }

    /// The offset of the first byte that does not begin or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
