import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server for previewing a built site: static files from one folder, the
/// live-reload script and its event stream. It answers only requests whose `Host` names
/// this server by IP address or `localhost` (DNS rebinding), and the event stream refuses
/// a foreign `Origin`. One connection per request (`Connection: close`); request heads are
/// read by one thread for every connection, against a deadline, and answered by a few
/// workers (`ConnectionGate`), so slow clients cannot starve the others.
public final class PreviewServer: @unchecked Sendable {
    public static let eventsPath = "/__dossier/events"
    public static let scriptPath = "/__dossier/reload.js"

    public let host: String
    public let port: Int
    let files: StaticFiles
    let hub = EventHub()
    private let listener: Int32
    private let lock = NSLock()
    private var running = false
    private var gate: ConnectionGate?

    /// Binds at once, so a port in use is reported before anything else happens.
    public init(root: URL, host: String = "127.0.0.1", port: Int = 8080) throws {
        let (fd, actual) = try Socket.listen(host: host, port: port)
        self.listener = fd
        self.host = host
        self.port = actual
        self.files = StaticFiles(root: root, htmlInjection: "<script src=\"\(Self.scriptPath)\"></script>\n")
    }

    /// The address to open in a browser.
    public var url: String { "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/" }

    public static func isLoopback(_ host: String) -> Bool { host.hasPrefix("127.") || host == "localhost" }

    /// Accepts connections on a background thread until `stop()`.
    public func start() {
        lock.lock()
        running = true
        gate = ConnectionGate { [weak self] fd, head in
            guard let self else { close(fd); return }
            self.handle(fd, head: head)
        }
        lock.unlock()
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "dossier-preview-accept"
        thread.start()
    }

    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        guard wasRunning else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        gate?.stop()
        hub.closeAll()
    }

    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Tells every open tab something; errors (`ReloadEvent.isSticky`) reach tabs opened later too.
    public func broadcast(_ event: ReloadEvent, data: String = "{}") {
        hub.broadcast(event, data: data)
    }

    public var onBroadcast: (@Sendable (ReloadEvent) -> Void)? {
        get { hub.onBroadcast }
        set { hub.onBroadcast = newValue }
    }

    public var connectedTabs: Int { hub.clientCount }

    /// The site paths (`/notes/first/`) open in tabs, as their reload scripts said.
    public var viewedPages: Set<String> { hub.pages }

    /// Tells the tabs showing one of `pages` to reload.
    public func reload(pages: Set<String>) {
        hub.broadcast(.reload, onlyTo: pages)
    }

    /// The page a tab's event stream was opened from (`?page=/notes/first/`), as a site
    /// path: `index.html` dropped.
    static func viewedPage(_ request: HTTPRequest) -> String {
        let parts = request.target.split(separator: "?", maxSplits: 1)
        guard parts.count == 2 else { return "" }
        for pair in parts[1].split(separator: "&") where pair.hasPrefix("page=") {
            var page = String(pair.dropFirst(5)).removingPercentEncoding ?? ""
            if page.hasSuffix("/index.html") { page.removeLast("index.html".count) }
            return String(page.prefix(2048))
        }
        return ""
    }

    /// Connections whose request heads are still arriving.
    var waitingConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return gate?.waiting ?? 0
    }

    /// Keeps idle event streams open and notices closed tabs.
    public func ping() { hub.ping() }

    private func acceptLoop() {
        while isRunning {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                if !isRunning { return }
                continue
            }
            lock.lock()
            let gate = self.gate
            lock.unlock()
            if let gate { gate.admit(client) } else { close(client) }
        }
    }

    /// Answers one complete request head (nil: too long or malformed) on a worker thread.
    private func handle(_ fd: Int32, head: [UInt8]?) {
        Socket.setTimeouts(fd, seconds: 5)
        guard let head, let request = HTTPRequest.parse(head) else {
            _ = Socket.writeAll(fd, HTTPResponse.text(400, "Bad request").serialized(includeBody: true))
            close(fd)
            return
        }
        let response = respond(to: request)
        if case .stream = response {
            // A tab that stops reading must not stall a broadcast: sends give up after 2 s.
            Socket.setTimeouts(fd, seconds: 0)
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard hub.clientCount < EventHub.maxClients else {
                _ = Socket.writeAll(fd, HTTPResponse.text(503, "Too many open preview tabs").serialized(includeBody: true))
                close(fd)
                return
            }
            hub.add(fd, page: Self.viewedPage(request))
            return
        }
        if case .complete(let r) = response {
            _ = Socket.writeAll(fd, r.serialized(includeBody: request.method != "HEAD"))
        }
        close(fd)
    }

    enum Reply {
        case complete(HTTPResponse)
        case stream
    }

    /// Routing and the safety checks, separate from sockets so tests can call it.
    func respond(to request: HTTPRequest) -> Reply {
        guard let hostHeader = request.headers["host"], isAllowed(host: hostHeader) else {
            return .complete(.text(403, "Forbidden: this preview answers only to http://127.0.0.1:\(port) or http://localhost:\(port)"))
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return .complete(HTTPResponse(status: 405, body: Data("Method not allowed\n".utf8), headers: [("Allow", "GET, HEAD")]))
        }
        switch request.path {
        case Self.eventsPath:
            if let origin = request.headers["origin"], !isAllowed(origin: origin) {
                return .complete(.text(403, "Forbidden: foreign origin"))
            }
            return request.method == "GET" ? .stream : .complete(HTTPResponse(status: 200, contentType: "text/event-stream"))
        case Self.scriptPath:
            return .complete(HTTPResponse(status: 200, contentType: "text/javascript; charset=utf-8", body: Data(ReloadScript.source.utf8)))
        default:
            return .complete(files.response(for: request.path))
        }
    }

    /// The status this preview answers a raw request head with — parsing, the Host and
    /// Origin checks, routing and path confinement, without a socket (the fuzzer's way in).
    public func status(forRawHead head: [UInt8]) -> Int {
        guard head.count <= ConnectionGate.maxHeadBytes, let request = HTTPRequest.parse(head) else { return 400 }
        switch respond(to: request) {
        case .complete(let response): return response.status
        case .stream: return 200
        }
    }

    /// `Host` must name this port and a literal IP address or `localhost`: a DNS name that
    /// resolves here (rebinding) is refused.
    func isAllowed(host value: String) -> Bool {
        let lowered = value.lowercased()
        guard let colon = lowered.lastIndex(of: ":"), lowered[lowered.index(after: colon)...] == String(port) else { return false }
        let name = String(lowered[..<colon])
        if name == "localhost" { return true }
        if name.hasPrefix("[") && name.hasSuffix("]") { return name == "[::1]" }
        var v4 = in_addr()
        return inet_pton(AF_INET, name, &v4) == 1 && (host == "0.0.0.0" || name == host || (Self.isLoopback(host) && name.hasPrefix("127.")))
    }

    func isAllowed(origin: String) -> Bool {
        let lowered = origin.lowercased()
        guard lowered.hasPrefix("http://") else { return false }
        return isAllowed(host: String(lowered.dropFirst("http://".count)))
    }
}
