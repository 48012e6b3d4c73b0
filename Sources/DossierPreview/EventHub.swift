import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The open Server-Sent Events connections, and what was last said to them: a tab that
/// connects while the build is broken is shown the errors at once.
final class EventHub: @unchecked Sendable {
    /// The most event streams (open tabs) kept at once.
    static let maxClients = 64
    private let lock = NSLock()
    /// Each open stream, with the site path of the page it was opened from.
    private var clients: [(fd: Int32, page: String)] = []
    private var current: (event: ReloadEvent, data: String)?
    /// Called after each broadcast with its name (for latency measurements and tests).
    var onBroadcast: (@Sendable (ReloadEvent) -> Void)?

    var clientCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return clients.count
    }

    var pages: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return Set(clients.map(\.page))
    }

    /// Takes over `fd`: writes the stream head, then keeps it for broadcasts.
    func add(_ fd: Int32, page: String = "") {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n"
            + "X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n"
        guard Socket.writeAll(fd, Data(head.utf8)) else { close(fd); return }
        lock.lock()
        let state = current
        clients.append((fd, page))
        lock.unlock()
        if let state, !Socket.writeAll(fd, Self.frame(state.event, state.data)) { remove(fd) }
    }

    /// Sends `event` to every client. A sticky event (`isSticky`: errors) is replayed to tabs that
    /// connect later; any other event clears the sticky state.
    func broadcast(_ event: ReloadEvent, data: String = "{}") {
        let frame = Self.frame(event, data)
        lock.lock()
        current = event.isSticky ? (event, data) : nil
        let targets = clients.map(\.fd)
        lock.unlock()
        for fd in targets where !Socket.writeAll(fd, frame) { remove(fd) }
        onBroadcast?(event)
    }

    /// Sends `event` to the clients showing one of `pages`.
    func broadcast(_ event: ReloadEvent, onlyTo pages: Set<String>) {
        let frame = Self.frame(event, "{}")
        lock.lock()
        let targets = clients.filter { pages.contains($0.page) }.map(\.fd)
        lock.unlock()
        for fd in targets where !Socket.writeAll(fd, frame) { remove(fd) }
    }

    /// A comment line that keeps idle connections open and finds closed ones.
    func ping() {
        lock.lock()
        let targets = clients.map(\.fd)
        lock.unlock()
        for fd in targets where !Socket.writeAll(fd, Data(": ping\n\n".utf8)) { remove(fd) }
    }

    func closeAll() {
        lock.lock()
        let targets = clients.map(\.fd)
        clients.removeAll()
        lock.unlock()
        for fd in targets { close(fd) }
    }

    private func remove(_ fd: Int32) {
        lock.lock()
        let had = clients.contains { $0.fd == fd }
        clients.removeAll { $0.fd == fd }
        lock.unlock()
        if had { close(fd) }
    }

    static func frame(_ event: ReloadEvent, _ data: String) -> Data {
        let lines = data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n")
        return Data("event: \(event.rawValue)\n\(lines)\n\n".utf8)
    }
}

/// What the preview tells open tabs (the reload script's event names).
public enum ReloadEvent: String, Sendable {
    /// A rebuild changed the page: load it again.
    case reload
    /// Only stylesheets changed: swap them in place.
    case css
    /// The build failed: show the errors over the page (replayed to tabs opened later).
    case buildError = "build-error"
    /// A rebuild changed nothing shown, or the errors are fixed: clear any overlay.
    case ok

    /// Replayed to tabs that connect later, until another event replaces it.
    var isSticky: Bool { self == .buildError }
}
