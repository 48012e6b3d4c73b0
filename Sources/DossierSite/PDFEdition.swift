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
    /// The source's name in the staging folder while the engine reads it.
    static let sourceName = ".dossier-pdf-source.html"
    /// How long the engine may take.
    static let timeout: TimeInterval = 600

    /// The PDF's path in the output: `pdf.file`, else the title's slug.
    static func fileName(_ config: SiteConfig) -> String {
        config.pdfFile ?? (Slug.make(config.title).isEmpty ? "briefing" : Slug.make(config.title)) + ".pdf"
    }

    /// The engine on `PATH`, or nil.
    static func engine(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") -> String? {
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/weasyprint"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let missingEngine = "the PDF edition needs WeasyPrint, a CSS Paged Media engine: install it with `make pdf-deps` "
        + "(or `apt-get install weasyprint`), or build without --pdf"

    /// `html` (rendered for the web, under `basePath`) as the engine must read it: images and
    /// style sheets from the staging folder, links to the published site's absolute
    /// addresses (a PDF is read away from the site).
    static func rewrite(_ html: String, basePath: String, staging: String, absoluteRoot: String?) -> String {
        let local = "file://" + staging.split(separator: "/").map { URLPath.encode(String($0)) }.joined(separator: "/").withLeadingSlash + "/"
        var out = ""
        out.reserveCapacity(html.utf8.count + 4096)
        var rest = Substring(html)
        let prefix = basePath + "/"
        while let hit = rest.range(of: "=\"" + prefix) {
            let attribute = rest[..<hit.lowerBound].suffix(4)
            out += rest[..<hit.lowerBound]
            let before = out.lastIndex(of: "<").map { out[$0...] } ?? ""
            let isStyleSheet = before.hasPrefix("<link")
            if attribute.hasSuffix("src") || isStyleSheet {
                out += "=\"" + local
            } else if attribute.hasSuffix("href"), let root = absoluteRoot {
                out += "=\"" + root + prefix.dropFirst(basePath.count)
            } else {
                out += "=\"" + prefix
            }
            rest = rest[hit.upperBound...]
        }
        return out + rest
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

    /// Runs the engine on `source` in `staging`, writing `file` there; its bytes.
    static func make(source: String, staging: URL, file: String) throws(DiagnosticError) -> [UInt8] {
        guard let engine = engine() else { throw DiagnosticError(.error(missingEngine)) }
        let input = staging.appendingPathComponent(sourceName), output = staging.appendingPathComponent(file)
        do { try Data(source.utf8).write(to: input) } catch {
            throw DiagnosticError(.error("could not write the PDF's source in \(staging.path): \(error.localizedDescription)"))
        }
        defer { unlink(input.path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: engine)
        // PDF/UA: tagged, with the document's language and title; the identifier is the
        // source's digest, so the same briefing gives the same bytes.
        let identity = source.replacingOccurrences(of: staging.path, with: "")  // not where it was built
        process.arguments = ["--quiet", "--pdf-variant", "pdf/ua-1", "--pdf-identifier", String(SHA256.hex(identity.utf8).prefix(32)),
                             "--base-url", staging.path + "/", input.path, output.path]
        var environment = ProcessInfo.processInfo.environment
        if environment["SOURCE_DATE_EPOCH"] == nil { environment["SOURCE_DATE_EPOCH"] = "0" }
        process.environment = environment
        // Its messages go to a file, not a pipe: a pipe left unread fills and stalls the engine.
        let log = staging.appendingPathComponent(sourceName + ".log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
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
        guard process.terminationStatus == 0, let bytes = FileText.bytes(output.path) else {
            let detail = message.split(separator: "\n").suffix(5).joined(separator: "\n    ")
            throw DiagnosticError(.error("the PDF engine failed (exit status \(process.terminationStatus)):\n    \(detail)"))
        }
        return bytes
    }
}

private extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}
