import DossierCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on one output folder, held for a whole build, so that two builds
/// (or a build and a preview writing into the same folder) never interleave their writes
/// and swaps. It is an `flock` on `.NAME.dossier-lock` beside the output: the kernel
/// drops it when its process ends, however it ends, so a lock left by a dead process
/// never blocks. The file holds the holder's process id, for the waiting message.
public final class OutputLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    /// Takes the lock on `output`. When another process holds it: with `wait`, calls
    /// `waiting` once (with a message naming the holder) and blocks until it is free;
    /// without, fails at once.
    public init(output: URL, wait: Bool, waiting: (String) -> Void = { _ in }) throws(DiagnosticError) {
        let folder = output.standardizedFileURL
        let parent = folder.deletingLastPathComponent()
        path = parent.appendingPathComponent(".\(folder.lastPathComponent).dossier-lock").path
        try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)  // a new --output's parents
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw DiagnosticError(.error("cannot create the lock file \(path): \(POSIXText.describe(errno))"))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = OutputLock.holder(fd).map { " (process \($0))" } ?? ""
            guard errno == EWOULDBLOCK, wait else {
                close(fd)
                throw DiagnosticError(.error(
                    "another dossier build\(holder) is writing into \(folder.path); wait for it, or run without --no-wait to wait"))
            }
            waiting("waiting for another dossier build\(holder) to finish writing into \(folder.path)…")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = POSIXText.describe(errno)
                    close(fd)
                    throw DiagnosticError(.error("cannot lock \(path): \(reason)"))
                }
            }
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Releases the lock (also released when the process ends).
    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func holder(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
