import Foundation

/// A parsed HTTP/1.1 request head. Bodies are never read: the preview serves GET and HEAD.
struct HTTPRequest: Sendable {
    var method: String
    /// The request target as sent (`/briefing/?x=1`).
    var target: String
    /// Header names in lower case.
    var headers: [String: String]

    var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "") }

    /// Parses the head (everything before the blank line). Nil when malformed.
    static func parse(_ head: [UInt8]) -> HTTPRequest? {
        guard let text = String(bytes: head, encoding: .utf8) else { return nil }
        var lines = text.components(separatedBy: "\r\n")
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), !requestLine[1].isEmpty else { return nil }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" ") else { return nil }
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return HTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
    }
}

/// A complete response (the event stream is written separately).
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    static let reasons: [Int: String] = [
        200: "OK", 301: "Moved Permanently", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 408: "Request Timeout", 500: "Internal Server Error", 503: "Service Unavailable",
    ]

    init(status: Int, contentType: String = "text/plain; charset=utf-8", body: Data = Data(), headers: [(String, String)] = []) {
        self.status = status
        self.body = body
        self.headers = [("Content-Type", contentType)] + headers
    }

    static func text(_ status: Int, _ message: String) -> HTTPResponse {
        HTTPResponse(status: status, body: Data((message + "\n").utf8))
    }

    /// The bytes on the wire; `includeBody` is false for HEAD.
    func serialized(includeBody: Bool) -> Data {
        var head = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "Status")\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        head += "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
        var data = Data(head.utf8)
        if includeBody { data.append(body) }
        return data
    }
}
