import DossierCore
import Foundation

/// `dossier check --external`: every external link and image the pages' Markdown holds,
/// asked for once each (HEAD, then GET where HEAD is refused), at most 8 requests at once
/// and 2 per host, redirects followed. A 404 or 410 and a host that does not exist are
/// problems; a 429, a 403, a timeout and other failures are warnings (the link may be
/// fine, the server unwilling); a permanent redirect is a warning naming the new address.
/// Each is reported at every Markdown line that links there. Answers are kept for a day
/// beside the output folder (`.NAME.dossier-links.json`).
enum ExternalLinks {
    static let concurrency = 8
    static let perHost = 2
    static let keptFor: TimeInterval = 86400

    /// One address and where it is linked from.
    struct Target {
        var url: URL
        var locations: [SourceLocation]
        var isImage: Bool
    }

    /// A kept answer.
    struct Answer: Sendable {
        var status: Int?  // nil: no HTTP answer
        var failure: String?
        var movedTo: String?
        var checked: Date
    }

    /// The external (http, https) links and images of `records`, by address.
    static func targets(_ records: some Sequence<PageRecord>) -> [Target] {
        var byURL: [String: Target] = [:]
        for record in records {
            for link in record.links {
                guard link.url.hasPrefix("http://") || link.url.hasPrefix("https://") else { continue }
                let address = link.url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? link.url
                guard let url = URL(string: address), url.host?.isEmpty == false else { continue }
                byURL[address, default: Target(url: url, locations: [], isImage: link.isImage)].locations.append(link.location)
            }
        }
        return byURL.keys.sorted().map { byURL[$0]! }
    }

    /// Checks `targets`, answers kept in `cache` reused when younger than a day.
    static func check(_ targets: [Target], cache: URL, now: Date, timeout: TimeInterval = 15) -> [Diagnostic] {
        var kept = readCache(cache).filter { now.timeIntervalSince($0.value.checked) < keptFor }
        let pending = targets.filter { kept[$0.url.absoluteString] == nil }
        for (address, answer) in probe(pending.map(\.url), now: now, timeout: timeout) { kept[address] = answer }
        writeCache(kept, to: cache)
        var problems: [Diagnostic] = []
        for target in targets {
            guard let answer = kept[target.url.absoluteString], let (severity, message) = judge(answer, url: target.url.absoluteString, image: target.isImage)
            else { continue }
            for location in target.locations.sorted() { problems.append(Diagnostic(severity, message, at: location)) }
        }
        return problems
    }

    /// What an answer means for a link: nil when the link is fine.
    static func judge(_ answer: Answer, url: String, image: Bool) -> (Diagnostic.Severity, String)? {
        let what = image ? "external image" : "external link"
        if let failure = answer.failure {
            if failure == "no such host" { return (.error, "broken \(what): there is no host \(URL(string: url)?.host ?? url) (\(url))") }
            return (.warning, "\(what) not confirmed: \(failure) (\(url))")
        }
        guard let status = answer.status else { return nil }
        switch status {
        case 404, 410: return (.error, "broken \(what): \(url) answers HTTP \(status)")
        case 200..<400:
            if let moved = answer.movedTo, moved != url { return (.warning, "\(what) moved permanently: \(url) → \(moved); link to the new address") }
            return nil
        case 429: return (.warning, "\(what) not confirmed: \(url) answers HTTP 429 (too many requests); try again later")
        case 403: return (.warning, "\(what) not confirmed: \(url) answers HTTP 403 (the server refuses automated checks, or the page is private)")
        default: return (.warning, "\(what) not confirmed: \(url) answers HTTP \(status)")
        }
    }

    /// Probes `urls` on up to `concurrency` threads, no more than `perHost` at once per host.
    static func probe(_ urls: [URL], now: Date, timeout: TimeInterval) -> [String: Answer] {
        guard !urls.isEmpty else { return [:] }
        let queue = HostQueue(urls)
        let group = DispatchGroup()
        for _ in 0..<min(concurrency, urls.count) {
            group.enter()
            Thread.detachNewThread {
                while let url = queue.next() {
                    let answer: Answer
                    switch HTTPFetch.probe(url, timeout: timeout) {
                    case .success(let p): answer = Answer(status: p.status, movedTo: p.movedTo, checked: now)
                    case .failure(.noSuchHost): answer = Answer(failure: "no such host", checked: now)
                    case .failure(.timedOut): answer = Answer(failure: "no answer within \(Int(timeout)) s", checked: now)
                    case .failure(.other(let m)): answer = Answer(failure: m, checked: now)
                    }
                    queue.done(url, answer)
                }
                group.leave()
            }
        }
        group.wait()
        return queue.answers
    }

    /// The addresses still to ask for, handed out so that no host has more than
    /// `perHost` requests in flight; and the answers.
    private final class HostQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var waiting: [URL]
        private var busy: [String: Int] = [:]
        private(set) var answers: [String: Answer] = [:]

        init(_ urls: [URL]) { waiting = urls }

        /// The next address whose host has room, waiting for one; nil when none are left.
        func next() -> URL? {
            condition.lock()
            defer { condition.unlock() }
            while !waiting.isEmpty {
                if let i = waiting.firstIndex(where: { busy[$0.host ?? "", default: 0] < ExternalLinks.perHost }) {
                    let url = waiting.remove(at: i)
                    busy[url.host ?? "", default: 0] += 1
                    return url
                }
                condition.wait()
            }
            return nil
        }

        func done(_ url: URL, _ answer: Answer) {
            condition.lock()
            answers[url.absoluteString] = answer
            busy[url.host ?? "", default: 1] -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    // MARK: The kept answers

    static func readCache(_ url: URL) -> [String: Answer] {
        guard let bytes = FileText.bytes(url.path), let tree = try? YAMLReader.parse(String(decoding: bytes, as: UTF8.self), path: url.path),
              let entries = tree.value.dictionaryValue else { return [:] }
        var out: [String: Answer] = [:]
        for (address, value) in entries {
            guard let checked = value["checked"]?.stringValue.flatMap(DateText.parse) else { continue }
            out[address] = Answer(status: value["status"]?.numberValue.map { Int($0) }, failure: value["failure"]?.stringValue,
                                  movedTo: value["moved_to"]?.stringValue, checked: checked)
        }
        return out
    }

    static func writeCache(_ answers: [String: Answer], to url: URL) {
        var entries: [String: Value] = [:]
        for (address, a) in answers {
            var e: [String: Value] = ["checked": .string(DateText.iso8601(a.checked))]
            if let s = a.status { e["status"] = .number(Double(s)) }
            if let f = a.failure { e["failure"] = .string(f) }
            if let m = a.movedTo { e["moved_to"] = .string(m) }
            entries[address] = .dictionary(e)
        }
        let temporary = url.path + ".partial"
        let bytes = Array(JSONText.encode(.dictionary(entries), pretty: true).utf8)
        guard (try? bytes.withUnsafeBytes { try OutputWriter.writeBytes($0, to: temporary) }) != nil else { return }
        if rename(temporary, url.path) != 0 { unlink(temporary) }
    }

    /// `.NAME.dossier-links.json` beside the output folder `NAME`.
    static func cacheLocation(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).dossier-links.json")
    }
}
