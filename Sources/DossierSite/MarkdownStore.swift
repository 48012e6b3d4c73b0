import DossierCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Each page's Markdown as HTML, from the parse step until the steps that need it (the
/// page's template, the print view, the feed) — kept by source path, out of the pages
/// themselves. Up to `memoryLimit` bytes (8 MiB) stay in memory; beyond that, HTML goes to an
/// unlinked scratch file and is read back when asked for, so a site's peak memory does
/// not grow with the size of all its articles (100,000 pages hold about a gigabyte of
/// HTML). Thread-safe: the parse and render steps use it from every core.
final class MarkdownStore: @unchecked Sendable {
    private enum Slot {
        case memory(String)
        case spilled(offset: Int, length: Int)
    }

    /// In-memory budget, bytes.
    let memoryLimit: Int
    private var slots: [String: Slot] = [:]
    private var inMemory = 0
    private var fileEnd = 0
    private var fd: Int32 = -1
    private let lock = NSLock()

    init(memoryLimit: Int = 8 << 20) {
        self.memoryLimit = memoryLimit
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Keeps `html` as the Markdown of `source`, replacing what was kept before.
    func put(_ html: String, for source: String) {
        var html = html
        let length = html.utf8.count
        lock.lock()
        defer { lock.unlock() }
        if case .memory(let old)? = slots[source] { inMemory -= old.utf8.count }
        if inMemory + length <= memoryLimit || !openScratch() {
            slots[source] = .memory(html)
            inMemory += length
            return
        }
        // The space is taken under the lock; the bytes are written outside it.
        let offset = fileEnd
        fileEnd += length
        lock.unlock()
        let written = html.withUTF8 { buffer in Self.writeAll(fd, buffer, at: offset) }
        lock.lock()
        if written {
            slots[source] = .spilled(offset: offset, length: length)
        } else {  // a full disk: memory it is
            slots[source] = .memory(html)
            inMemory += length
        }
    }

    /// The Markdown HTML kept for `source`, or nil.
    func html(for source: String) -> String? {
        lock.lock()
        let slot = slots[source]
        lock.unlock()
        switch slot {
        case .memory(let html)?: return html
        case .spilled(let offset, let length)?:
            return String(unsafeUninitializedCapacity: length) { buffer in
                var done = 0
                while done < length {
                    let n = pread(fd, buffer.baseAddress! + done, length - done, off_t(offset + done))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return 0 }
                    done += n
                }
                return done
            }
        case nil: return nil
        }
    }

    func contains(_ source: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return slots[source] != nil
    }

    func remove(_ source: String) {
        lock.lock()
        defer { lock.unlock() }
        if case .memory(let old)? = slots.removeValue(forKey: source) { inMemory -= old.utf8.count }
    }

    /// Called with the lock held.
    private func openScratch() -> Bool {
        if fd >= 0 { return true }
        var template = Array((FileManager.default.temporaryDirectory.path + "/dossier-markdown-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return false }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }  // gone when closed, whatever happens
        return true
    }

    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
