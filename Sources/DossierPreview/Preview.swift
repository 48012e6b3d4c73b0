import DossierCore
import DossierSite
import Foundation

/// `dossier serve`: builds the site into a private folder, serves it, watches the sources
/// and, after every change, rebuilds what it affects and tells each open tab to reload
/// (or to swap its stylesheets, or to show the build's errors over the page).
public final class Preview: @unchecked Sendable {
    public struct Settings: Sendable {
        public var site: URL
        public var host: String
        public var port: Int
        public var drafts: Bool
        public var future: Bool
        /// Show pages whose `expires` date has passed.
        public var expired = false
        /// Never fetch remote datasets.
        public var offline = false
        public var poll: Bool

        public init(site: URL, host: String = "127.0.0.1", port: Int = 8080, drafts: Bool = false, future: Bool = false, poll: Bool = false) {
            self.site = site
            self.host = host
            self.port = port
            self.drafts = drafts
            self.future = future
            self.poll = poll
        }
    }

    public let server: PreviewServer
    public let session: SiteSession
    public let output: URL
    private var watcher: FileWatcher?
    private let rebuilds = DispatchQueue(label: "dossier-preview-rebuild")
    /// Where the pages an edit left for later are made (`SiteSession.Refresh`).
    private let refreshes = DispatchQueue(label: "dossier-preview-refresh")
    private var pingTimer: DispatchSourceTimer?
    /// Reports for the terminal: each rebuild's outcome.
    public var log: @Sendable (String) -> Void = { print($0) }
    /// Called after each rebuild has been broadcast (tests and the latency benchmark).
    public var onRebuild: (@Sendable (SiteSession.Outcome, Set<String>) -> Void)?

    /// Binds the port (so a port in use fails here) and prepares a private output folder.
    public init(_ settings: Settings) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-preview-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        do {
            server = try PreviewServer(root: output, host: settings.host, port: settings.port)
        } catch {
            try? FileManager.default.removeItem(at: output)
            throw error
        }
        self.output = output
        // Served at the root of this address, whatever base_url says, so every link works.
        var options = BuildOptions(site: settings.site, output: output, drafts: settings.drafts,
                                   baseURL: "http://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(server.port)/",
                                   future: settings.future)
        options.expired = settings.expired
        options.offline = settings.offline
        options.cache = false  // the session keeps what it knows in memory
        session = SiteSession(options: options)
        self.poll = settings.poll
    }

    private let poll: Bool

    /// Builds, starts serving and watching. Returns the first build's outcome (a failed
    /// first build still serves, with the errors shown in the browser).
    @discardableResult
    public func start() -> SiteSession.Outcome {
        let first = session.buildAll()
        report(first, batch: [])
        server.start()
        let watcher = FileWatcher(root: session.options.site, folders: ["Content", "Templates"], quietPeriod: .milliseconds(5)) { [weak self] batch in
            guard let self else { return }
            self.waiting.add(1)  // a refresh under way stops at its next step
            self.rebuilds.async {
                self.waiting.add(-1)
                self.rebuild(batch)
            }
        }
        if poll { watcher.startPolling() } else { watcher.start() }
        self.watcher = watcher
        let timer = DispatchSource.makeTimerSource(queue: rebuilds)
        timer.schedule(deadline: .now() + .seconds(15), repeating: .seconds(15))
        timer.setEventHandler { [weak self] in self?.server.ping() }
        timer.resume()
        pingTimer = timer
        return first
    }

    public var watchesByPolling: Bool { watcher?.usesPolling ?? poll }

    public func stop() {
        watcher?.stop()
        pingTimer?.cancel()
        server.stop()
        try? FileManager.default.removeItem(at: output)
    }

    private var generation = 0
    /// Changes queued for a rebuild.
    private let waiting = AtomicCount()

    /// Runs a rebuild for `batch` now (the watcher calls this; so can tests). The feed,
    /// sitemap and site-wide pages follow a moment later, unless another change comes first.
    func rebuild(_ batch: Set<String>) {
        generation += 1
        let outcome = session.update(batch, viewing: server.viewedPages)
        report(outcome, batch: batch)
        onRebuild?(outcome, batch)
        guard outcome.succeeded, session.feedsStale else { return }
        // The rest a moment later, off the rebuild queue, so that it never delays the next
        // change; written only if no newer change was built meanwhile.
        let scheduled = generation
        rebuilds.asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
            guard let self, self.generation == scheduled, let refresh = self.session.prepareRefresh() else { return }
            self.refreshes.async {
                let waiting = self.waiting
                refresh.run(shouldStop: { waiting.value > 0 || !refresh.isCurrent })
                self.rebuilds.async {
                    // A tab opened on a page written just now reloads.
                    let changed = self.session.commit(refresh)
                    let pages = Set(changed.filter { $0.hasSuffix(".html") }.map(Preview.sitePath(ofOutput:)))
                    if !pages.isEmpty { self.server.reload(pages: pages) }
                }
            }
        }
    }

    /// `a/b/index.html` → `/a/b/`; `404.html` → `/404.html`.
    static func sitePath(ofOutput path: String) -> String {
        if path == "index.html" { return "/" }
        if path.hasSuffix("/index.html") { return "/" + path.dropLast("index.html".count) }
        return "/" + path
    }

    private func report(_ outcome: SiteSession.Outcome, batch: Set<String>) {
        let ms = Double(outcome.elapsed.components.attoseconds) / 1e15 + Double(outcome.elapsed.components.seconds) * 1000
        let what = batch.isEmpty ? "built the site" : "rebuilt after changes to \(batch.sorted().prefix(3).joined(separator: ", "))\(batch.count > 3 ? " and \(batch.count - 3) more" : "")"
        if outcome.succeeded {
            if !batch.isEmpty {
                // Nothing changed (say, an edit undone): just clear any error overlay.
                server.broadcast(outcome.changedFiles.isEmpty ? .ok : outcome.stylesheetsOnly ? .css : .reload)
            }
            log(String(format: "%@: %d page%@ rendered, %d file%@ written in %.0f ms", what, outcome.renderedPages,
                       outcome.renderedPages == 1 ? "" : "s", outcome.changedFiles.count, outcome.changedFiles.count == 1 ? "" : "s", ms))
            for warning in outcome.diagnostics where warning.severity == .warning { log(warning.description) }
        } else {
            let errors = outcome.diagnostics.filter { $0.severity == .error }
            let payload: Value = .dictionary(["diagnostics": .array(errors.map { d in
                .dictionary(["text": .string(d.description), "file": .string(d.location?.path ?? ""),
                             "line": .number(Double(d.location?.line ?? 0)), "message": .string(d.message)])
            })])
            server.broadcast(.buildError, data: JSONText.encode(payload))
            log("\(what): \(errors.count) error\(errors.count == 1 ? "" : "s"); still serving the last good version")
            for error in errors { log(error.description) }
        }
    }
}

/// A counter several threads change.
final class AtomicCount: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()

    func add(_ n: Int) {
        lock.lock()
        count += n
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
