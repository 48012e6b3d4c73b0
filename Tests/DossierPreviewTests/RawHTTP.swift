import DossierPreview
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP client over a loopback socket: tests must send paths and headers exactly as
/// written (`/%2e%2e/`, a foreign Host), which URL-based clients would normalise.
struct RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func connect(port: Int) throws -> Int32 {
        guard let fd = Socket.connectLoopback(port: port) else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Sends `method path` with `headers` (Host defaults to this server) and reads the reply.
    static func request(port: Int, _ path: String, method: String = "GET", headers: [String: String] = [:]) throws -> Response {
        let fd = try connect(port: port)
        defer { close(fd) }
        var all = ["Host": "127.0.0.1:\(port)", "Connection": "close"]
        all.merge(headers) { _, new in new }
        var head = "\(method) \(path) HTTP/1.1\r\n"
        for (name, value) in all.sorted(by: { $0.key < $1.key }) where !value.isEmpty { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        // Read to the end of the body: Content-Length when given (some servers keep the
        // connection open), else until the server closes.
        while true {
            if let split = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).lowercased()
                if let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                    let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                    data.count - split.upperBound >= length || method == "HEAD"
                {
                    break
                }
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { throw POSIXError(.EBADMSG) }
        let headText = String(decoding: data[..<split.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: Data(data[split.upperBound...]))
    }
}

/// Reads a Server-Sent Events stream until a wanted event arrives.
final class EventStream {
    let fd: Int32
    private var buffer = ""

    /// `page`: the site path the "tab" shows, as the reload script names it.
    init(port: Int, origin: String? = nil, page: String? = nil) throws {
        fd = try RawHTTP.connect(port: port)
        let query = page.map { "?page=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
        var head = "GET /__dossier/events\(query) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        if let origin { head += "Origin: \(origin)\r\n" }
        head += "\r\n"
        _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    deinit { close(fd) }

    /// The next event (name, data) within `timeout`, or nil.
    func next(timeout: Duration = .seconds(10)) -> (name: String, data: String)? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let range = buffer.range(of: "\n\n") {
                let block = String(buffer[..<range.lowerBound])
                buffer = String(buffer[range.upperBound...])
                var name = "message", data: [String] = []
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                }
                if block.hasPrefix("HTTP/1.1") || block.hasPrefix(":") || block.hasPrefix("retry") { continue }
                return (name, data.joined(separator: "\n"))
            }
            var bytes = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &bytes, bytes.count, 0)
            if n <= 0 { if errno == EAGAIN || errno == EWOULDBLOCK { continue }; return nil }
            buffer += String(decoding: bytes[0..<n], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }
        return nil
    }

    /// Skips events until one named `name` arrives.
    func wait(for name: String, timeout: Duration = .seconds(10)) -> (name: String, data: String)? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let event = next(timeout: deadline - ContinuousClock.now) else { return nil }
            if event.name == name { return event }
        }
        return nil
    }
}
