import DossierCore
import DossierData
import Foundation

/// Remote datasets: a dataset's metadata may say `url: https://…` (with `format: csv|json|
/// yaml` when the address's extension does not tell, and optionally `sha256:` to pin the
/// bytes). The load step fetches each one — conditionally, against the copy kept from the
/// last good build (`ETag`/`If-None-Match`, `Last-Modified`/`If-Modified-Since`) — and
/// hands the bytes to the data reader as if they were a file beside the metadata. What is
/// kept lives beside the output folder, in `.NAME.dossier-data/` (the copy, and when its
/// bytes last changed: "Data as of").
///
/// - A CSV comes with its metadata file (`NAME.yaml` holds `url:` and the usual keys); a
///   JSON or YAML dataset is a whole dataset document, declared by a file holding only
///   `url`, `format` and `sha256`.
/// - A fetch that fails, or new bytes that do not validate, fall back to the kept copy
///   (or the shipped file of the same name, `NAME.csv`), with a warning naming the
///   address, the error and the copy's age; `--offline` never fetches (and says nothing
///   about using a copy). With no copy at all, it is an error.
/// - Problems in fetched data are reported at their line in the kept copy, with a note
///   naming the address.
struct RemoteData {
    /// One `url:` declaration.
    struct Declaration: Sendable {
        var id: String
        /// `Content/data/NAME.yaml`.
        var declaredIn: String
        var url: URL
        var format: String
        var sha256: String?
        var at: SourceLocation
        /// The `${NAME}`s of its `url:` that the environment does not set: never fetched.
        var unset: [String] = []
        /// The address as the build read it (as written, when a variable is unset).
        var address = ""
        /// The path the data reader sees the fetched bytes at (`Content/data/NAME.csv`).
        var virtualPath: String { "Content/data/\(id).\(format)" }
    }

    /// What the build keeps of a remote dataset between runs.
    struct Kept: Sendable {
        var text: String
        var etag: String?
        var lastModified: String?
        var sha256: String
        /// When these bytes were first seen (or the server's `Last-Modified`); nil for a
        /// shipped copy whose date nobody knows.
        var changed: Date?
        var fetched: Date
    }

    let folder: URL
    let options: BuildOptions
    let diagnostics: Diagnostics
    /// The published data of the `--baseline` (`data/NAME.json`), for "as of" dates when
    /// nothing is kept (a CI run starts with no cache).
    var baselineData: [String: Value] = [:]

    init(options: BuildOptions, diagnostics: Diagnostics) {
        folder = options.output.deletingLastPathComponent().appendingPathComponent(".\(options.output.lastPathComponent).dossier-data")
        self.options = options
        self.diagnostics = diagnostics
    }

    // MARK: Declarations

    /// The remote declarations among `files` (display path → text); a malformed one is an error.
    static func declarations(in files: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
                             diagnostics: Diagnostics) -> [Declaration] {
        var found: [Declaration] = []
        for path in files.keys.sorted() where ["yaml", "yml", "json"].contains(DataCatalog.ext(path)) && DataCatalog.fileName(path) != DataCatalog.scalesFile {
            let text = files[path]!
            guard text.contains("url"), let tree = try? YAMLReader.parse(text, path: path), case .mapping(let pairs, _) = tree,
                  let node = tree["url"] else { continue }
            func problem(_ message: String, _ at: SourceLocation) { diagnostics.add(Diagnostic.error(message, at: at).withSource(text)) }
            guard case .string(let written) = node.value else {
                problem("'url' must be an http(s) address of the data, e.g. https://example.org/data.csv", node.location)
                continue
            }
            // `${NAME}`: an environment variable (CI's GITHUB_REPOSITORY, say); one unset
            // leaves the dataset to its kept or shipped copy, unfetched.
            var unset: [String] = []
            let address = Self.expand(written, environment: environment, unset: &unset)
            guard let url = URL(string: unset.isEmpty ? address : "https://unset.invalid/" + DataCatalog.fileName(address)),
                  url.scheme == "https" || url.scheme == "http", url.host?.isEmpty == false else {
                problem("'url' must be an http(s) address of the data, e.g. https://example.org/data.csv", node.location)
                continue
            }
            let id = String(DataCatalog.fileName(path).split(separator: ".").first ?? "")
            var format = url.pathExtension.lowercased()
            if let given = tree["format"] {
                format = given.value.stringValue?.lowercased() ?? ""
                guard ["csv", "json", "yaml"].contains(format) else {
                    problem("'format' must be csv, json or yaml", given.location)
                    continue
                }
            } else if format == "yml" {
                format = "yaml"
            }
            guard ["csv", "json", "yaml"].contains(format) else {
                problem("cannot tell the format of \(address) from its name: add 'format: csv' (or json, yaml)", node.location)
                continue
            }
            var pin: String?
            if let given = tree["sha256"] {
                pin = given.value.stringValue?.lowercased()
                guard let p = pin, p.count == 64, p.allSatisfy(\.isHexDigit) else {
                    problem("'sha256' must be the 64 hex digits of the file's SHA-256", given.location)
                    continue
                }
            }
            if format != "csv", let other = pairs.first(where: { !["url", "format", "sha256"].contains($0.key) }) {
                problem("a remote \(format.uppercased()) dataset brings its own metadata: this file holds only 'url', 'format' and 'sha256' (found '\(other.key)')",
                        other.value.location)
                continue
            }
            var declaration = Declaration(id: id, declaredIn: path, url: url, format: format, sha256: pin, at: node.location)
            declaration.unset = unset
            declaration.address = unset.isEmpty ? address : written
            found.append(declaration)
        }
        return found
    }

    /// `text` with each `${NAME}` replaced by the environment's value; the names not set
    /// are collected in `unset`.
    static func expand(_ text: String, environment: [String: String], unset: inout [String]) -> String {
        var out = "", rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            out += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close])
            if let value = environment[name], !value.isEmpty { out += value } else { unset.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    // MARK: Fetching

    /// Where the bytes a build reads came from.
    enum Origin: Sendable {
        /// New from the network (kept once they validate).
        case fetched
        /// The kept copy, confirmed by the server (`304 Not Modified`).
        case notModified
        /// The kept copy, or the shipped file, without asking (`--offline`, or the fetch failed).
        case kept, shipped
    }

    /// What to read for `declaration`: fetched, kept, or shipped; nil (with an error) when
    /// there is nothing.
    func obtain(_ declaration: Declaration, shipped: String?) -> (text: String, kept: Kept, origin: Origin)? {
        let address = declaration.url.absoluteString
        let kept = readKept(declaration)
        func fallback(_ why: String?) -> (text: String, kept: Kept, origin: Origin)? {
            if let kept {
                if let why { warn(declaration, "\(why); using the copy kept from \(age(kept.fetched)) (\(shown(declaration)))") }
                return (kept.text, kept, .kept)
            }
            if let shipped {
                let digest = SHA256.hex(shipped.utf8)
                // A pin holds the shipped copy too: a data edit updates it, or fails here.
                if let pin = declaration.sha256, pin != digest {
                    diagnostics.add(Diagnostic.error("the shipped copy \(declaration.virtualPath) does not match the 'sha256' pin (it is \(digest)): update the pin with the data",
                                                     at: declaration.at))
                    return nil
                }
                if let why { warn(declaration, "\(why); using the shipped copy \(declaration.virtualPath)") }
                return (shipped, Kept(text: shipped, sha256: digest, changed: baselineAsOf(declaration, sha256: digest), fetched: options.now), .shipped)
            }
            let quiet = declaration.unset.isEmpty ? "--offline, and nothing was fetched before"
                : "its url names \(declaration.unset.map { "${\($0)}" }.joined(separator: ", ")), not set here, and nothing was fetched before"
            diagnostics.add(Diagnostic.error("no copy of \(declaration.unset.isEmpty ? address : "the data") to build with: \(why ?? quiet); build once online",
                                             at: declaration.at))
            return nil
        }
        if options.offline || !declaration.unset.isEmpty { return fallback(nil) }
        var headers: [String: String] = [:]
        if let etag = kept?.etag { headers["If-None-Match"] = etag }
        if let modified = kept?.lastModified { headers["If-Modified-Since"] = modified }
        switch HTTPFetch.get(declaration.url, headers: headers, timeout: options.fetchTimeout, retries: options.fetchRetries) {
        case .failure(let failure):
            return fallback("could not fetch \(address): \(failure.message)")
        case .success(let response) where response.status == 304 && kept != nil:
            var same = kept!
            same.fetched = options.now
            return (same.text, same, .notModified)
        case .success(let response) where response.status != 200:
            return fallback("could not fetch \(address): HTTP \(response.status)")
        case .success(let response):
            guard let text = String(data: response.body, encoding: .utf8) else { return fallback("\(address) is not UTF-8 text") }
            let digest = SHA256.hex(Array(response.body))
            if let pin = declaration.sha256, pin != digest {
                diagnostics.add(Diagnostic.error("\(address) does not match its 'sha256' pin (got \(digest)): the data changed; check them and update the pin",
                                                 at: declaration.at))
                return nil
            }
            let changed: Date
            if let kept, kept.sha256 == digest, let date = kept.changed {
                changed = date
            } else if kept == nil, let carried = baselineAsOf(declaration, sha256: digest) {
                changed = carried  // a CI run: the live site already had these bytes
            } else if kept == nil, let modified = response.headers["last-modified"].flatMap(Self.httpDate) {
                changed = modified
            } else {
                changed = options.now
            }
            return (text, Kept(text: text, etag: response.headers["etag"], lastModified: response.headers["last-modified"], sha256: digest,
                               changed: changed, fetched: options.now), .fetched)
        }
    }

    /// The baseline's "as of" for these bytes, if it published the same.
    private func baselineAsOf(_ declaration: Declaration, sha256: String) -> Date? {
        guard let remote = baselineData[declaration.id]?["remote"], remote["sha256"]?.stringValue == sha256,
              let text = remote["as_of"]?.stringValue else { return nil }
        return DateText.parse(text)
    }

    func warn(_ declaration: Declaration, _ message: String) {
        diagnostics.add(Diagnostic.warning(message, at: declaration.at))
    }

    func age(_ date: Date) -> String {
        let seconds = max(0, options.now.timeIntervalSince(date))
        if seconds < 3600 { return "\(Int(seconds / 60)) minutes ago" }
        if seconds < 2 * 86400 { return "\(Int(seconds / 3600)) hours ago" }
        return "\(Int(seconds / 86400)) days ago"
    }

    // MARK: The kept copies

    func copyURL(_ d: Declaration) -> URL { folder.appendingPathComponent("\(d.id).\(d.format)") }
    private func metaURL(_ d: Declaration) -> URL { folder.appendingPathComponent("\(d.id).meta.json") }

    /// The kept copy's path as diagnostics show it.
    func shown(_ d: Declaration) -> String { copyURL(d).path }

    func readKept(_ d: Declaration) -> Kept? {
        guard let text = FileText.bytes(copyURL(d).path).map({ String(decoding: $0, as: UTF8.self) }),
              let metaText = FileText.bytes(metaURL(d).path).map({ String(decoding: $0, as: UTF8.self) }),
              let meta = try? YAMLReader.parse(metaText, path: metaURL(d).path).value,
              meta["url"]?.stringValue == d.url.absoluteString,
              let changed = meta["changed"]?.stringValue.flatMap(DateText.parse),
              let fetched = meta["fetched"]?.stringValue.flatMap(DateText.parse) else { return nil }
        return Kept(text: text, etag: meta["etag"]?.stringValue, lastModified: meta["last_modified"]?.stringValue,
                    sha256: SHA256.hex(text.utf8), changed: changed, fetched: fetched)
    }

    /// Keeps `kept` as the last good copy (written after the data validated).
    func keep(_ kept: Kept, for d: Declaration) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var meta: [String: Value] = ["url": .string(d.url.absoluteString), "changed": .string(DateText.iso8601(kept.changed ?? kept.fetched)),
                                     "fetched": .string(DateText.iso8601(kept.fetched)), "sha256": .string(kept.sha256)]
        if let etag = kept.etag { meta["etag"] = .string(etag) }
        if let modified = kept.lastModified { meta["last_modified"] = .string(modified) }
        for (url, bytes) in [(copyURL(d), Array(kept.text.utf8)), (metaURL(d), Array(JSONText.encode(.dictionary(meta), pretty: true).utf8))] {
            let temporary = url.path + ".partial"
            guard (try? bytes.withUnsafeBytes { try OutputWriter.writeBytes($0, to: temporary) }) != nil else { continue }
            if rename(temporary, url.path) != 0 { unlink(temporary) }
        }
    }

    /// An HTTP date (`Wed, 02 Dec 2026 07:00:00 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
