import DossierCore
import DossierMarkdown
import Foundation

/// The PDF edition (`dossier build --pdf`, or `pdf: true` in site.yaml): the pages of the
/// print view in one paged document, laid out by a CSS Paged Media engine — WeasyPrint,
/// which implements what a briefing needs (margin boxes for the running header and "page N
/// of M", `target-counter()` for the contents' page numbers, `float: footnote`, bookmarks
/// from headings, PDF/UA tagging), where headless Chromium has none of the first three.
///
/// The site pages step renders `Templates/pdf.html` (the sections of the print view, the
/// data) into `source`; the write step, once every file is staged, hands it to the engine
/// with the staging folder as the place its images and styles are read from, and stages
/// the PDF beside the pages. Nothing runs the engine without `--pdf` or `pdf: true`.
enum PDFEdition {
    static let template = "pdf.html"
    /// The names, in the staging folder, of what the engine reads and writes for the PDF
    /// `file` while it runs (its source, the layout driver, its log): one set per edition,
    /// as the language editions are made side by side.
    static func workingName(_ file: String, _ suffix: String) -> String {
        ".dossier-pdf-" + file.replacingOccurrences(of: "/", with: "-") + suffix
    }
    /// How long the engine may take.
    static let timeout: TimeInterval = 600
    /// How many characters of text make a PDF long enough to lay out in parts (about 40
    /// pages): below it, starting and joining the parts costs more than it saves.
    static let partLength = 100_000

    /// Into how many parts the driver may cut a long PDF to lay it out at once (`layout.py`,
    /// "Laying out in parts"): two when the build may use two threads. A number that depends
    /// on the machine only through `--threads`: the PDF's text, pages and tags are the same
    /// either way, its bytes not (each part embeds its own subsets of the fonts).
    static func parts(threads: Int) -> Int { threads >= 2 ? 2 : 1 }

    /// What runs a yielding edition's engine at a lower priority (without it, at the same).
    static let nice = "/usr/bin/nice"

    /// The PDF's path in the output: `pdf.file`, else the title's slug.
    static func fileName(_ config: SiteConfig) -> String {
        config.pdfFile ?? (Slug.make(config.title).isEmpty ? "briefing" : Slug.make(config.title)) + ".pdf"
    }

    /// The PDF edition of the pages in `code`: the same name, in the language's folder
    /// (`ko/briefing.pdf`).
    static func fileName(_ config: SiteConfig, language code: String) -> String {
        config.languages.path(fileName(config), in: code)
    }

    /// The engine on `PATH`, or nil: the Python that WeasyPrint is installed for (read from
    /// the first line of its `weasyprint` command), which runs `layout.py`.
    static func engine(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") -> String? {
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/weasyprint"
            guard FileManager.default.isExecutableFile(atPath: candidate), let head = FileText.bytes(candidate) else { continue }
            let line = String(decoding: head.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
            guard line.hasPrefix("#!") else { continue }
            let words = line.dropFirst(2).split(separator: " ").map(String.init)
            // `#!/usr/bin/python3`, or `#!/usr/bin/env python3` (pip's scripts): that program on PATH.
            if words.count == 1, words[0].hasPrefix("/"), FileManager.default.isExecutableFile(atPath: words[0]) { return words[0] }
            if words.count == 2, words[0].hasSuffix("/env"), !words[1].contains("/"),
               let found = path.split(separator: ":").map({ String($0) + "/" + words[1] }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                return found
            }
        }
        return nil
    }

    static let missingEngine = "the PDF edition needs WeasyPrint, a CSS Paged Media engine: install it with `make pdf-deps` "
        + "(or `apt-get install weasyprint`), or build without --pdf"

    /// `html` (rendered for the web, under `basePath`) as the engine must read it: images and
    /// style sheets from the staging folder, links to the published site's absolute
    /// addresses (a PDF is read away from the site).
    static func rewrite(_ html: String, basePath: String, staging: String, absoluteRoot: String?) -> String {
        // One pass over the bytes (a search from each hit on was quadratic: 2.5 s on a
        // 2.4 MB source).
        let bytes = Array(html.utf8), needle = Array(("=\"" + basePath + "/").utf8)
        let local = Array(("=\"" + localPrefix(staging)).utf8)
        let web = absoluteRoot.map { Array(("=\"" + $0 + "/").utf8) }
        let link = Array("<link".utf8), equals = UInt8(ascii: "="), open = UInt8(ascii: "<")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4096)
        var index = 0, copied = 0, tag = -1
        while index + needle.count <= bytes.count {
            let byte = bytes[index]
            if byte == open { tag = index }
            guard byte == equals, bytes[index..<(index + needle.count)].elementsEqual(needle) else {
                index += 1
                continue
            }
            out += bytes[copied..<index]
            let attribute = bytes[Swift.max(0, index - 4)..<index]
            let isStyleSheet = tag >= 0 && bytes[tag...].starts(with: link)
            if attribute.suffix(3).elementsEqual("src".utf8) || isStyleSheet {
                out += local
            } else if attribute.elementsEqual("href".utf8), let web {
                out += web
            } else {
                out += needle
            }
            index += needle.count
            copied = index
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// `html` with its notes at the foot of the page: each notes section's entries moved to
    /// their first reference as `<span class="footnote">` (which `float: footnote` sets
    /// at the page's foot, numbered by the engine), the sections themselves dropped. A note
    /// referred to again keeps a plain superscript there.
    static func footnotesAtPageFoot(_ html: String) -> String {
        var text = html
        var notes: [String: String] = [:]
        // The notes sections: `<section class="footnotes" …> … </section>`.
        while let start = text.range(of: "<section class=\"footnotes\""), let end = text.range(of: "</section>", range: start.upperBound..<text.endIndex) {
            let body = text[start.upperBound..<end.lowerBound]
            var rest = body[...]
            while let li = rest.range(of: "<li id=\""), let quote = rest[li.upperBound...].firstIndex(of: "\""),
                  let close = rest.range(of: "</li>", range: quote..<rest.endIndex) {
                let id = String(rest[li.upperBound..<quote])
                var note = String(rest[rest.index(after: rest[quote...].firstIndex(of: ">")!)..<close.lowerBound])
                while let back = note.range(of: "<a href=\"#"), let backEnd = note.range(of: "</a>", range: back.upperBound..<note.endIndex),
                      note[back.lowerBound..<backEnd.lowerBound].contains("footnote-backref") {
                    note.removeSubrange(back.lowerBound..<backEnd.upperBound)
                }
                note = note.replacingOccurrences(of: "<p>", with: "").replacingOccurrences(of: "</p>", with: " ")
                notes[id] = note.trimmingCharacters(in: .whitespacesAndNewlines)
                rest = rest[close.upperBound...]
            }
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        guard !notes.isEmpty else { return html }
        var out = "", rest = Substring(text), placed: Set<String> = []
        while let ref = rest.range(of: "<sup class=\"footnote-ref\"><a href=\"#"), let quote = rest[ref.upperBound...].firstIndex(of: "\""),
              let close = rest.range(of: "</sup>", range: quote..<rest.endIndex) {
            out += rest[..<ref.lowerBound]
            let id = String(rest[ref.upperBound..<quote])
            if let note = notes[id], !placed.contains(id) {
                out += "<span class=\"footnote\">\(note)</span>"
                placed.insert(id)
            } else {
                let number = rest[quote..<close.lowerBound].split(separator: ">").last?.split(separator: "<").first ?? ""
                out += "<sup class=\"footnote-again\">\(number)</sup>"
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The address prefix of files in the staging folder, as `rewrite` writes them.
    static func localPrefix(_ staging: String) -> String {
        "file://" + staging.split(separator: "/").map { URLPath.encode(String($0)) }.joined(separator: "/").withLeadingSlash + "/"
    }

    /// What the PDF is made from, as 32 hex digits: the source (without where it was built),
    /// the digest of each staged file it reads (its style sheet, images) and the layout
    /// driver. It is the PDF's identifier, and a PDF in the output with the same one is
    /// the same PDF.
    static func identifier(source: String, staging: String, digests: [String: String]) -> String {
        let prefix = localPrefix(staging)
        var text = source.replacingOccurrences(of: prefix, with: "file:///").replacingOccurrences(of: staging, with: "")
        var files = Set<String>(), rest = Substring(source)
        while let hit = rest.range(of: prefix) {
            let tail = rest[hit.upperBound...]
            let end = tail.firstIndex { $0 == "\"" || $0 == "'" || $0 == ")" || $0 == "#" || $0 == "?" } ?? tail.endIndex
            files.insert(String(tail[..<end]).removingPercentEncoding ?? String(tail[..<end]))
            rest = tail[end...]
        }
        for path in files.sorted() { text += "\n" + path + " " + (digests[path] ?? "-") }
        text += "\n" + String(decoding: PackageResources.layout_py, as: UTF8.self)
        return String(SHA256.hex(text.utf8).prefix(32))
    }

    /// The PDF at `path` when its identifier is `identifier`.
    static func reusable(_ path: String, identifier: String) -> [UInt8]? {
        guard let bytes = FileText.bytes(path) else { return nil }
        // The identifier is in the trailer, at the end (ASCII, so it survives the decoding).
        return String(decoding: bytes.suffix(4096), as: UTF8.self).contains("/ID [(\(identifier))") ? bytes : nil
    }

    /// Runs the engine on `source` in `staging`, writing `file` there; its bytes. `previous`
    /// (the last build's PDF) is kept instead when it was made from the same (`kept`).
    /// `parts` and `partLength`: see `parts(threads:)`. `yielding`: the engine runs at a lower
    /// priority (`nice`), on what the cores have to spare from a longer edition made beside it.
    static func make(source: String, staging: URL, file: String, digests: [String: String], previous: URL?,
                     parts: Int = 1, partLength: Int = partLength, yielding: Bool = false) throws(DiagnosticError) -> (bytes: [UInt8], kept: Bool) {
        let identifier = identifier(source: source, staging: staging.path, digests: digests)
        let output = staging.appendingPathComponent(file)
        if let previous, let bytes = reusable(previous.path, identifier: identifier) {
            do { try Data(bytes).write(to: output) } catch {
                throw DiagnosticError(.error("could not write \(output.path): \(error.localizedDescription)"))
            }
            return (bytes, true)
        }
        guard let engine = engine() else { throw DiagnosticError(.error(missingEngine)) }
        let input = staging.appendingPathComponent(workingName(file, ".html"))
        let driver = staging.appendingPathComponent(workingName(file, ".py"))
        do {
            try Data(source.utf8).write(to: input)
            try Data(PackageResources.layout_py).write(to: driver)
        } catch {
            throw DiagnosticError(.error("could not write the PDF's source in \(staging.path): \(error.localizedDescription)"))
        }
        defer { unlink(input.path); unlink(driver.path) }
        let process = Process()
        // PDF/UA (tagged, with the document's language and title) and an identifier made from
        // what the PDF is made from, so the same briefing gives the same bytes.
        let arguments = [driver.path, input.path, output.path, staging.path + "/", identifier, String(parts), String(partLength)]
        if yielding, FileManager.default.isExecutableFile(atPath: nice) {
            process.executableURL = URL(fileURLWithPath: nice)
            process.arguments = ["-n", "10", engine] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: engine)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        if environment["SOURCE_DATE_EPOCH"] == nil { environment["SOURCE_DATE_EPOCH"] = "0" }
        process.environment = environment
        // Its messages go to a file, not a pipe: a pipe left unread fills and stalls the engine.
        let log = staging.appendingPathComponent(workingName(file, ".log"))
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { unlink(log.path) }
        guard let errors = FileHandle(forWritingAtPath: log.path) else {
            throw DiagnosticError(.error("could not write the PDF engine's log in \(staging.path)"))
        }
        defer { try? errors.close() }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw DiagnosticError(.error("could not start \(engine): \(error.localizedDescription)")) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            throw DiagnosticError(.error("the PDF engine took more than \(Int(timeout)) s; the PDF edition was not made"))
        }
        let message = String(decoding: FileText.bytes(log.path) ?? [], as: UTF8.self)
        if message.contains("No module named 'weasyprint'") { throw DiagnosticError(.error(missingEngine)) }
        guard process.terminationStatus == 0, let bytes = FileText.bytes(output.path) else {
            let detail = message.split(separator: "\n").suffix(5).joined(separator: "\n    ")
            throw DiagnosticError(.error("the PDF engine failed (exit status \(process.terminationStatus)):\n    \(detail)"))
        }
        return (bytes, false)
    }
}

private extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}
