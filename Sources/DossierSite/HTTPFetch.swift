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

extension HTTPFetch {
    /// What asking for a link's target found: its status, and where a permanent redirect
    /// (301, 308) sent it.
    struct Probe: Sendable {
        var status: Int
        var movedTo: String?
    }

    /// A HEAD request for `url` (a GET where HEAD is refused: 405, 501), redirects followed.
    static func probe(_ url: URL, timeout: TimeInterval) -> Result<Probe, ProbeFailure> {
        var result = probeOnce(url, method: "HEAD", timeout: timeout)
        if case .success(let p) = result, p.status == 405 || p.status == 501 { result = probeOnce(url, method: "GET", timeout: timeout) }
        return result
    }

    private static func probeOnce(_ url: URL, method: String, timeout: TimeInterval) -> Result<Probe, ProbeFailure> {
        let redirects = RedirectRecorder()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        let session = URLSession(configuration: configuration, delegate: redirects, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = timeout
        request.setValue("Dossier (link check; static site generator)", forHTTPHeaderField: "User-Agent")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Probe, ProbeFailure> = .failure(.other("no answer"))
        session.dataTask(with: request) { _, response, error in
            if let error {
                let ns = error as NSError
                switch ns.code {
                case NSURLErrorTimedOut: outcome = .failure(.timedOut)
                case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: outcome = .failure(.noSuchHost)
                default: outcome = .failure(.other(ns.localizedDescription))
                }
            } else if let http = response as? HTTPURLResponse {
                outcome = .success(Probe(status: http.statusCode, movedTo: redirects.permanent))
            }
            done.signal()
        }.resume()
        done.wait()
        return outcome
    }

    /// Why a probe got no HTTP answer.
    enum ProbeFailure: Error, Sendable, Equatable {
        case timedOut, noSuchHost
        case other(String)
    }

    /// Follows redirects, remembering the last permanent one's target.
    private final class RedirectRecorder: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        private let lock = NSLock()
        private var target: String?
        var permanent: String? { lock.lock(); defer { lock.unlock() }; return target }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            if response.statusCode == 301 || response.statusCode == 308 {
                lock.lock()
                target = request.url?.absoluteString
                lock.unlock()
            }
            completionHandler(request)
        }
    }
}
