import DossierCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches folders recursively — including folders created later — and reports changed
/// paths in batches: a burst of events (an editor's save-via-rename, a `git checkout`)
/// becomes one batch once the folder has been quiet for `quietPeriod`. inotify on Linux,
/// polling with `poll: true` or where inotify is unavailable. Hidden files and editor
/// backups are ignored.
public final class FileWatcher: @unchecked Sendable {
    public typealias Handler = @Sendable (Set<String>) -> Void

    let root: URL
    let folders: [String]
    let extraFiles: [String]
    let quietPeriod: Duration
    let handler: Handler
    private let queue = DispatchQueue(label: "dossier-watcher")
    private var pending: Set<String> = []
    private var flushScheduled = false
    private var firstEventAt: ContinuousClock.Instant?
    private var inotify: Int32 = -1
    private var watches: [Int32: String] = [:]
    private var source: DispatchSourceRead?
    private var pollTimer: DispatchSourceTimer?
    private var snapshot: [String: (Date, Int)] = [:]
    public private(set) var usesPolling = false

    /// `folders` and `extraFiles` are relative to `root`; reported paths are too.
    public init(root: URL, folders: [String], extraFiles: [String] = [], quietPeriod: Duration = .milliseconds(15),
                handler: @escaping Handler) {
        self.root = root.standardizedFileURL
        self.folders = folders
        self.extraFiles = extraFiles
        self.quietPeriod = quietPeriod
        self.handler = handler
    }

    /// Watches with inotify, or by polling where inotify is not available.
    public func start() {
        queue.sync {
            if startInotify() { return }
            usesPolling = true
            beginPolling()
        }
    }

    /// Watches by polling (network and container file systems that send no events).
    public func startPolling() {
        queue.sync {
            usesPolling = true
            beginPolling()
        }
    }

    public func stop() {
        queue.sync {
            source?.cancel()
            source = nil
            pollTimer?.cancel()
            pollTimer = nil
        }
    }

    static func ignored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name.hasPrefix("#")
            || name == "4913"  // vim's write test
    }

    // MARK: inotify

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF)

    private func startInotify() -> Bool {
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { return false }
        for folder in folders { addWatches(under: folder) }
        let source = DispatchSource.makeReadSource(fileDescriptor: inotify, queue: queue)
        source.setEventHandler { [weak self] in self?.readEvents() }
        let fd = inotify
        source.setCancelHandler { close(fd) }
        source.resume()
        self.source = source
        return true
    }

    /// One watch per folder: `relative` and every folder below it, each folder once
    /// (a link loop is not followed round) and none outside the site.
    private func addWatches(under relative: String) {
        var walking: Set<[UInt64]> = []
        addWatches(under: relative, walking: &walking)
    }

    private func addWatches(under relative: String, walking: inout Set<[UInt64]>) {
        let url = relative.isEmpty ? root : root.appendingPathComponent(relative)
        var info = stat()
        guard walking.count < 10_000, stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
              walking.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted,
              FileTree.isInside(url.path, root: root.path) else { return }
        let wd = inotify_add_watch(inotify, url.path, Self.mask)
        if wd >= 0 { watches[wd] = relative }
        let children = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        for child in children.sorted() where !Self.ignored(child) {
            addWatches(under: relative.isEmpty ? child : relative + "/" + child, walking: &walking)
        }
    }

    private func readEvents() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = read(inotify, &buffer, buffer.count)
            guard n > 0 else { break }
            var offset = 0
            while offset + 16 <= n {
                let wd = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset, as: Int32.self) }
                let mask = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 4, as: UInt32.self) }
                let length = Int(buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 12, as: UInt32.self) })
                let nameBytes = buffer[(offset + 16)..<min(n, offset + 16 + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset += 16 + length
                guard let folder = watches[wd] else { continue }
                if mask & UInt32(IN_DELETE_SELF) != 0 { watches.removeValue(forKey: wd); continue }
                guard !name.isEmpty, !Self.ignored(name) else { continue }
                let path = folder.isEmpty ? name : folder + "/" + name
                if mask & UInt32(IN_ISDIR) != 0 {
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                        addWatches(under: path)
                        for file in Self.files(under: root.appendingPathComponent(path)) { record(path + "/" + file) }
                    }
                    continue
                }
                record(path)
            }
        }
    }

    // MARK: Polling

    private func beginPolling() {
        snapshot = takeSnapshot()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let next = self.takeSnapshot()
            for (path, stamp) in next where self.snapshot[path].map({ $0 != stamp }) ?? true { self.record(path) }
            for path in self.snapshot.keys where next[path] == nil { self.record(path) }
            self.snapshot = next
        }
        timer.resume()
        pollTimer = timer
    }

    private func takeSnapshot() -> [String: (Date, Int)] {
        var result: [String: (Date, Int)] = [:]
        for folder in folders {
            for file in Self.files(under: root.appendingPathComponent(folder)) {
                let path = folder + "/" + file
                if let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path) {
                    result[path] = ((attributes[.modificationDate] as? Date) ?? .distantPast, (attributes[.size] as? Int) ?? 0)
                }
            }
        }
        for file in extraFiles {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(file).path) {
                result[file] = ((attributes[.modificationDate] as? Date) ?? .distantPast, (attributes[.size] as? Int) ?? 0)
            }
        }
        return result
    }

    /// The regular files under `url`, walked as the build walks them (`FileTree`).
    static func files(under url: URL) -> [String] {
        FileTree.files(under: url.path).files
    }

    // MARK: Coalescing

    /// Collects a path; the batch goes out once no event arrived for `quietPeriod`
    /// (and at the latest ten quiet periods after the first event).
    private func record(_ path: String) {
        pending.insert(path)
        let now = ContinuousClock.now
        if firstEventAt == nil { firstEventAt = now }
        lastEventAt = now
        guard !flushScheduled else { return }
        flushScheduled = true
        scheduleFlush()
    }

    private var lastEventAt: ContinuousClock.Instant?

    private func scheduleFlush() {
        let delay = quietPeriod.components.attoseconds / 1_000_000_000 + quietPeriod.components.seconds * 1_000_000_000
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(delay))) { [weak self] in
            guard let self else { return }
            let now = ContinuousClock.now
            if let last = self.lastEventAt, let first = self.firstEventAt, now - last < self.quietPeriod, now - first < self.quietPeriod * 10 {
                self.scheduleFlush()
                return
            }
            let batch = self.pending
            self.pending = []
            self.flushScheduled = false
            self.firstEventAt = nil
            if !batch.isEmpty { self.handler(batch) }
        }
    }
}
