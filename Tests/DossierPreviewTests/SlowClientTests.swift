@testable import DossierPreview
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Slow and numerous clients must not starve the preview: 50 connections that trickle a
/// header byte every two seconds (a slowloris) once stopped every other client for more
/// than 25 s, because each held a thread and its timeout restarted with every byte.
@Suite(.serialized) struct SlowClientTests {
    @Test func aPageLoadsFastWhileFiftySlowClientsTrickle() throws {
        try withPreview { preview, _ in
            let port = preview.server.port
            var slow: [Int32] = []
            defer { for fd in slow { close(fd) } }
            for _ in 0..<50 {
                let fd = try RawHTTP.connect(port: port)
                _ = Socket.writeAll(fd, Data("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n".utf8))
                slow.append(fd)
            }
            let start = ContinuousClock.now
            // Keep trickling for 6 s (past the 5 s head deadline), fetching a page meanwhile.
            var worst: Duration = .zero
            for round in 0..<6 {
                for fd in slow { _ = Socket.writeAll(fd, Data("X-Slow-\(round): 1\r\n".utf8)) }
                let t0 = ContinuousClock.now
                let response = try RawHTTP.request(port: port, "/")
                worst = max(worst, ContinuousClock.now - t0)
                #expect(response.status == 200)
                Thread.sleep(until: Date(timeIntervalSinceNow: max(0, 1.0 - (ContinuousClock.now - t0).seconds)))
            }
            #expect(worst < .seconds(1), "slowest page fetch with 50 slow clients open: \(worst)")
            // The slow clients were cut off at their deadline, with 408.
            var timedOut = 0
            for fd in slow {
                var buffer = [UInt8](repeating: 0, count: 256)
                var tv = timeval(tv_sec: 2, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0, String(decoding: buffer[0..<n], as: UTF8.self).hasPrefix("HTTP/1.1 408") { timedOut += 1 }
            }
            #expect(timedOut == 50, "slow clients answered 408: \(timedOut) of 50, after \(ContinuousClock.now - start)")
        }
    }

    @Test func connectionsBeyondTheBoundGet503() throws {
        try withPreview { preview, _ in
            let port = preview.server.port
            var open: [Int32] = []
            defer { for fd in open { close(fd) } }
            for _ in 0..<ConnectionGate.maxConnections { open.append(try RawHTTP.connect(port: port)) }
            let deadline = ContinuousClock.now + .seconds(5)
            while preview.server.waitingConnections < ConnectionGate.maxConnections && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let refused = try RawHTTP.request(port: port, "/")
            #expect(refused.status == 503)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Stopping the gate raced its reader thread: the reader closed the wake pipe as it ended
/// while `stop()` (or a late `admit`) still wrote to it, which raised SIGPIPE and killed
/// the whole process (CI saw the test runner die with signal 13) or wrote a byte into
/// whatever file had reused the descriptor.
@Suite struct ConnectionGateLifetimeTests {
    @Test func stoppingWhileConnectionsArriveNeitherKillsNorLeaks() throws {
        for _ in 0..<300 {
            let gate = ConnectionGate { fd, _ in close(fd) }
            var pair: [Int32] = [0, 0]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
            gate.stop()
            // A connection accepted just before the server stopped arrives afterwards: the
            // gate must close it (its peer reads end of file), not keep it forever.
            gate.admit(pair[0])
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(pair[1], SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            #expect(recv(pair[1], &byte, 1, 0) == 0)
            close(pair[1])
        }
    }
}
