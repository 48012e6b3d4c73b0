import DossierCore
import DossierData
import DossierMarkdown
import Foundation

/// The page records (`PageRecord`) of one build, kept beside the output folder
/// (`.Output.dossier-cache`) so that the next `dossier build` into the same folder can
/// skip what has not changed — by the rules of `RebuildPlan`, the same the preview uses
/// between edits. With them: a digest of what every page depends on (this build of
/// Dossier, the build options and `site.yaml`: `key`), the digest of the list of pages
/// as templates see it (`listing`) and of the manifest of the output the records
/// describe (`manifest`): a page whose output is kept is copied from that output.
///
/// A page whose rendering printed a warning is not kept, so its warnings are printed
/// again by the next build. Anything unreadable or from another build of Dossier means
/// no cache: the build renders everything.
struct BuildCache: Sendable {
    static let magic = Array("dossier build cache 7\n".utf8)

    typealias Entry = PageRecord

    /// Digest of everything every page depends on.
    var key: String
    /// Digest of the list of pages as templates see it.
    var listing: String
    /// Digest of the `manifest.json` of the output this cache describes.
    var manifest: String
    /// By source path (`Content/a.md`).
    var entries: [String: Entry]
    /// The pages that set their own URL, as relative links were resolved
    /// (`ContentIndex.routes`).
    var routes: [String: String] = [:]

    /// `.NAME.dossier-cache` beside the output folder `NAME`.
    static func location(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).dossier-cache")
    }

    // MARK: Reading and writing

    /// The header, then the entries in chunks (each a length-prefixed blob), so that
    /// reading decodes the chunks on every core.
    func encoded(chunks: Int = 8) -> [UInt8] {
        var out = ByteWriter()
        out.string(key); out.string(listing); out.string(manifest)
        let routeList = routes.sorted { $0.key < $1.key }
        out.strings(routeList.map(\.key)); out.strings(routeList.map(\.value))
        let sorted = entries.sorted { $0.key < $1.key }
        let size = max(1, (sorted.count + chunks - 1) / chunks)
        let parts = stride(from: 0, to: sorted.count, by: size).map { Array(sorted[$0..<min(sorted.count, $0 + size)]) }
        let blobs = parts.parallelMap(threads: chunks) { part -> [UInt8] in
            var w = ByteWriter()
            w.bytes.reserveCapacity(part.count * 2048)
            w.int(part.count)
            for (path, e) in part { Self.encode(path, e, into: &w) }
            return w.bytes
        }
        out.int(blobs.count)
        for blob in blobs { out.int(blob.count); out.bytes += blob }
        // The magic line, the payload's SHA-256 (a damaged file is not half trusted), the payload.
        return Self.magic + Array(SHA256.hex(out.bytes).utf8) + out.bytes
    }

    private static func encode(_ path: String, _ e: Entry, into out: inout ByteWriter) {
        out.string(path); out.string(e.sourceDigest); out.string(e.outputPath); out.string(e.outputDigest)
        out.string(e.firstParagraph); out.int(e.wordCount); out.int(e.drawsFromData ? 1 : 0)
        out.string(e.layoutDigest); out.string(e.dataDigest)
        out.int(e.details.count)
        out.bytes += e.details
    }

    private static func decodeEntry(_ r: inout ByteReader) -> (String, Entry)? {
        guard let path = r.string(), let sourceDigest = r.string(), let outputPath = r.string(), let outputDigest = r.string(),
            let firstParagraph = r.string(), let wordCount = r.int(), let draws = r.int(), let layoutDigest = r.string(),
            let dataDigest = r.string(), let details = r.blob(), PageRecord.Details(decoding: details, path: path) != nil
        else { return nil }
        return (path, Entry(sourcePath: path, sourceDigest: sourceDigest, outputPath: outputPath, outputDigest: outputDigest,
                            firstParagraph: firstParagraph, wordCount: wordCount, drawsFromData: draws != 0, layoutDigest: layoutDigest,
                            dataDigest: dataDigest, details: details))
    }

    init(key: String, listing: String, manifest: String, entries: [String: Entry], routes: [String: String] = [:]) {
        self.key = key
        self.listing = listing
        self.manifest = manifest
        self.entries = entries
        self.routes = routes
    }

    /// Nil for anything but a whole, well-formed cache.
    init?(decoding bytes: [UInt8]) {
        let payloadStart = Self.magic.count + 64
        guard bytes.starts(with: Self.magic), bytes.count >= payloadStart,
            bytes[Self.magic.count..<payloadStart].elementsEqual(SHA256.hex(bytes[payloadStart...]).utf8)
        else { return nil }
        let decoded: (String, String, String, [String: String], [[(String, Entry)]?])? = bytes.withUnsafeBufferPointer { buffer in
            var r = ByteReader(bytes: buffer, offset: payloadStart)
            guard let key = r.string(), let listing = r.string(), let manifest = r.string(),
                  let routeKeys = r.strings(), let routeValues = r.strings(), routeKeys.count == routeValues.count,
                  let chunkCount = r.count() else { return nil }
            let routes = Dictionary(zip(routeKeys, routeValues), uniquingKeysWith: { a, _ in a })
            var chunks: [Range<Int>] = []
            for _ in 0..<chunkCount {
                guard let size = r.count(), r.offset + size <= buffer.count else { return nil }
                chunks.append(r.offset..<(r.offset + size))
                r.offset += size
            }
            guard r.atEnd else { return nil }
            nonisolated(unsafe) let all = buffer
            let parts = chunks.parallelMap(threads: chunks.count) { range -> [(String, Entry)]? in
                var r = ByteReader(bytes: UnsafeBufferPointer(rebasing: all[range]), offset: 0)
                guard let count = r.count() else { return nil }
                var part: [(String, Entry)] = []
                part.reserveCapacity(count)
                for _ in 0..<count {
                    guard let entry = Self.decodeEntry(&r) else { return nil }
                    part.append(entry)
                }
                return r.atEnd ? part : nil
            }
            return (key, listing, manifest, routes, parts)
        }
        guard let (key, listing, manifest, routes, parts) = decoded else { return nil }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(parts.reduce(0) { $0 + ($1?.count ?? 0) })
        for part in parts {
            guard let part else { return nil }
            for (path, entry) in part { entries[path] = entry }
        }
        self.init(key: key, listing: listing, manifest: manifest, entries: entries, routes: routes)
    }

    static func read(for output: URL) -> BuildCache? {
        FileText.bytes(location(for: output).path).flatMap(BuildCache.init(decoding:))
    }

    /// Writes beside the output, atomically (a temporary file renamed over the old one).
    func write(for output: URL) {
        let target = Self.location(for: output)
        let temporary = target.path + ".partial"
        guard (try? encoded().withUnsafeBytes { try OutputWriter.writeBytes($0, to: temporary) }) != nil else { return }
        if rename(temporary, target.path) != 0 { unlink(temporary) }
    }

    static func remove(for output: URL) {
        unlink(location(for: output).path)
    }

    // MARK: Digests

    /// What every page depends on: this build of Dossier, the options and site.yaml.
    /// (Templates and data are per page: `Entry.layoutDigest`, `Entry.dataDigest`.)
    static func key(options: BuildOptions) -> String? {
        guard let executable = executableIdentity() else { return nil }
        // (`--pdf` adds the PDF edition's links to every page.)
        var bytes = Array("\(executable)\n\(options.drafts) \(options.future) \(options.expired) \(options.strict) \(options.baseURL ?? "-") \(options.pdf)\nsite.yaml\n".utf8)
        bytes += FileText.bytes(options.content.appendingPathComponent(SiteConfig.fileName).path) ?? []
        // The site's bibliography: a changed entry may change any page's citations. (A
        // page naming files of its own is never taken from the cache.)
        for name in Bibliographies.siteFiles {
            bytes += Array("\n\(name)\n".utf8)
            bytes += FileText.bytes(options.contentPath + "/" + name) ?? []
        }
        // The interface strings: any page may show any of them.
        let strings = options.templates.appendingPathComponent(UIStrings.folder).path
        for name in FileTree.files(under: strings, extensions: ["yaml", "yml"]).files.sorted() {
            bytes += Array("\ni18n/\(name)\n".utf8)
            bytes += FileText.bytes(strings + "/" + name) ?? []
        }
        // Which files sit beside the pages: a relative link in Markdown resolves to one only
        // if it exists. (Their bytes are copied by every build, so only their names count.)
        bytes += Array("\nfiles\n".utf8)
        for relative in FileTree.files(under: options.contentPath).files where SiteLoader.isPublished(relative) {
            bytes += Array((relative + "\n").utf8)
        }
        return SHA256.hex(bytes)
    }

    /// Every data file, path and bytes.
    /// The files under `Content/data/` and, for remote datasets, the bytes fetched and
    /// their "as of" date.
    static func dataDigest(options: BuildOptions, data: DataCatalog? = nil) -> String {
        let folder = options.content.appendingPathComponent("data")
        var bytes: [UInt8] = []
        for relative in FileTree.files(under: folder.path).files {
            bytes += Array("\n\(relative)\n".utf8)
            bytes += FileText.bytes(folder.appendingPathComponent(relative).path) ?? Array("unreadable".utf8)
        }
        for (id, dataset) in (data?.datasets ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let remote = dataset.remote { bytes += Array("\nremote \(id) \(remote.sha256) \(remote.asOf.map(DateText.iso8601) ?? "-")".utf8) }
        }
        return SHA256.hex(bytes)
    }

    /// This executable's size and modification time: a rebuilt Dossier may render
    /// differently, so its caches are not trusted.
    static func executableIdentity() -> String? {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 || stat(CommandLine.arguments.first ?? "", &info) == 0 else { return nil }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}

