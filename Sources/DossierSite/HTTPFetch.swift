import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// GET over HTTP(S) for what a build reads from the network (a deployed site's manifest
/// and data, for `--baseline`): a timeout per attempt, a few retries with back-off on a
/// transport failure or a 5xx answer, a cap on the body's size. Foundation's URLSession,
/// on libcurl.
enum HTTPFetch {
    struct Response: Sendable {
        var status: Int
        var body: Data
        /// Header fields by lower-cased name (`etag`, `last-modified`).
        var headers: [String: String] = [:]
    }

    /// `url`'s body, or why not (for a message: "HTTP 404", "timed out", …).
    static func get(_ url: URL, headers: [String: String] = [:], timeout: TimeInterval = 20, retries: Int = 2,
                    maximumBytes: Int = 64 << 20) -> Result<Response, FetchFailure> {
        var attempt = 0
        while true {
            let result = once(url, headers: headers, timeout: timeout, maximumBytes: maximumBytes)
            let retry: Bool
            switch result {
            case .success(let r): retry = r.status >= 500
            case .failure(let f): retry = f.transient
            }
            guard retry, attempt < retries else { return result }
            attempt += 1
            Thread.sleep(forTimeInterval: 0.25 * Double(1 << attempt))  // 0.5 s, 1 s, …
        }
    }

    private static func once(_ url: URL, headers: [String: String], timeout: TimeInterval, maximumBytes: Int) -> Result<Response, FetchFailure> {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        request.setValue("Dossier (static site generator; +https://github.com/)", forHTTPHeaderField: "User-Agent")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Response, FetchFailure> = .failure(FetchFailure(message: "no answer", transient: true))
        session.dataTask(with: request) { data, response, error in
            if let error {
                let ns = error as NSError
                outcome = .failure(FetchFailure(message: ns.code == NSURLErrorTimedOut ? "timed out after \(Int(timeout)) s" : ns.localizedDescription,
                                                transient: true))
            } else if let http = response as? HTTPURLResponse {
                let body = data ?? Data()
                outcome = body.count > maximumBytes
                    ? .failure(FetchFailure(message: "the answer is larger than \(maximumBytes >> 20) MiB", transient: false))
                    : .success(Response(status: http.statusCode, body: body, headers: Dictionary(
                        http.allHeaderFields.compactMap { k, v in (k as? String).map { ($0.lowercased(), "\(v)") } }, uniquingKeysWith: { a, _ in a })))
            }
            done.signal()
        }.resume()
        done.wait()
        return outcome
    }
}

/// Why a fetch failed, and whether trying again may help.
struct FetchFailure: Error, Sendable {
    var message: String
    var transient: Bool
}
