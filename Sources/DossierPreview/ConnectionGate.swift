import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How the preview keeps slow or numerous clients from starving the others. Request
/// heads are read by one thread for all connections at once (`poll`), each against an
/// absolute deadline, so a client that sends a byte every two seconds holds no thread
/// and is cut off when its time is up; complete requests are answered by a fixed set of
/// worker threads; beyond `maxConnections` waiting connections a new one gets 503 at once.
final class ConnectionGate: @unchecked Sendable {
    /// The most connections whose request heads are being read at once.
    static let maxConnections = 128
    /// Threads that answer complete requests.
    static let workerCount = 4
    /// A request head must arrive whole within this time of the connection.
    static let headDeadline: Duration = .seconds(5)
    /// A request head may be at most this long.
    static let maxHeadBytes = 16_384

    private struct Pending {
        var head: [UInt8] = []
        var deadline: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var pending: [Int32: Pending] = [:]
    private var ready: [(fd: Int32, head: [UInt8])] = []
    private let readyCondition = NSCondition()
    private var running = true
    /// Written to wake the reader when a connection arrives or the gate closes. Both ends
    /// stay open for the gate's whole life (closed in `deinit`): closing them when the
    /// reader stops raced `stop()`'s last `poke()`, which then wrote into a pipe with no
    /// reader (SIGPIPE, killing the process) or into whatever file had reused the number.
    private let wake: (read: Int32, write: Int32)
    private let handle: @Sendable (Int32, [UInt8]?) -> Void

    /// `handle(fd, head)` answers one request (head nil: malformed or too long) and owns `fd`.
    init(handle: @escaping @Sendable (Int32, [UInt8]?) -> Void) {
        self.handle = handle
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        wake = (fds[0], fds[1])
        let reader = Thread { [self] in readLoop() }
        reader.name = "dossier-preview-reader"
        reader.start()
        for i in 0..<Self.workerCount {
            let worker = Thread { [self] in workLoop() }
            worker.name = "dossier-preview-worker-\(i)"
            worker.start()
        }
    }

    /// Takes a new connection; refuses it with 503 when too many are waiting.
    func admit(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        lock.lock()
        guard running else {
            // Accepted just before the gate stopped: nobody will read it.
            lock.unlock()
            close(fd)
            return
        }
        let full = pending.count >= Self.maxConnections
        if !full { pending[fd] = Pending(deadline: .now + Self.headDeadline) }
        lock.unlock()
        if full {
            _ = Socket.writeAll(fd, HTTPResponse.text(503, "Too many connections to the preview; try again").serialized(includeBody: true))
            close(fd)
            return
        }
        poke()
    }

    deinit {
        if wake.read >= 0 { close(wake.read) }
        if wake.write >= 0 { close(wake.write) }
    }

    func stop() {
        lock.lock()
        running = false
        let open = Array(pending.keys)
        pending.removeAll()
        lock.unlock()
        for fd in open { close(fd) }
        readyCondition.lock()
        readyCondition.broadcast()
        readyCondition.unlock()
        poke()
    }

    var waiting: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending.count
    }

    private func poke() {
        guard wake.write >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while isRunning {
            lock.lock()
            let now = ContinuousClock.now
            var expired: [Int32] = []
            for (fd, p) in pending where p.deadline <= now { expired.append(fd) }
            for fd in expired { pending.removeValue(forKey: fd) }
            var polled = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            polled += pending.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let nearest = pending.values.map(\.deadline).min()
            lock.unlock()
            for fd in expired {
                _ = Socket.writeAll(fd, HTTPResponse.text(408, "Request timeout").serialized(includeBody: true))
                close(fd)
            }
            var timeout: Int32 = 1000
            if let nearest {
                let left = nearest - ContinuousClock.now
                timeout = Int32(max(0, min(1000, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)))
            }
            let n = poll(&polled, nfds_t(polled.count), timeout)
            if n <= 0 { continue }
            if polled[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wake.read, &drain, drain.count) > 0 {}
            }
            for p in polled.dropFirst() where p.revents != 0 {
                let count = recv(p.fd, &buffer, buffer.count, 0)
                if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                lock.lock()
                guard var entry = pending[p.fd] else { lock.unlock(); continue }
                if count <= 0 {
                    pending.removeValue(forKey: p.fd)
                    lock.unlock()
                    close(p.fd)
                    continue
                }
                entry.head += buffer[0..<count]
                let end = Socket.headEnd(entry.head)
                if end != nil || entry.head.count > Self.maxHeadBytes {
                    pending.removeValue(forKey: p.fd)
                    lock.unlock()
                    let head = end.map { Array(entry.head[0..<$0]) }
                    _ = fcntl(p.fd, F_SETFL, fcntl(p.fd, F_GETFL) & ~O_NONBLOCK)
                    readyCondition.lock()
                    ready.append((p.fd, head ?? []))
                    readyCondition.signal()
                    readyCondition.unlock()
                    continue
                }
                pending[p.fd] = entry
                lock.unlock()
            }
        }
    }

    private func workLoop() {
        while true {
            readyCondition.lock()
            while ready.isEmpty && isRunning { readyCondition.wait() }
            guard isRunning, !ready.isEmpty else { readyCondition.unlock(); return }
            let next = ready.removeFirst()
            readyCondition.unlock()
            handle(next.fd, next.head.isEmpty ? nil : next.head)
        }
    }
}
