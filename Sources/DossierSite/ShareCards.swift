import DossierCharts
import DossierCore
import Foundation

/// Share cards: the 1200×630 PNG that `og:image` names, so a link to a page shared on
/// social media or in a chat shows a picture of it. A page whose HTML shows a chart gets
/// a card drawn from its first chart (the wide drawing) under its title; every other page
/// shows the site's title card. Drawn as SVG here and rasterised by `rsvg-convert`
/// (librsvg), the same SVG giving the same PNG; only when a layout reads
/// `page.share_image` or `site.share_image`, and only in a build (the preview makes none).
///
/// A card is rasterised once: the PNGs are kept beside the output, in
/// `.NAME.dossier-cards/`, by the digest of their SVG.
enum ShareCards {
    static let width = 1200, height = 630
    /// How long one card may take to rasterise.
    static let timeout: TimeInterval = 60
    /// The site's title card, at the output's root.
    static let siteCard = "share-card.png"

    /// The site's card for the pages in `code` (`ko/share-card.png`: its title in that language).
    static func siteCard(_ config: SiteConfig, language code: String) -> String { config.languages.path(siteCard, in: code) }

    /// Where the card of a page written to `outputPath` goes: `briefing/index.html` →
    /// `briefing/share.png`, `notes.html` → `notes.share.png`.
    static func path(for outputPath: String) -> String {
        if outputPath == "index.html" { return "share.png" }
        if outputPath.hasSuffix("/index.html") { return String(outputPath.dropLast("index.html".count)) + "share.png" }
        return (outputPath.hasSuffix(".html") ? String(outputPath.dropLast(5)) : outputPath) + ".share.png"
    }

    /// The first chart's wide drawing in `html` (`<svg class="dsr …">…</svg>`), or nil.
    static func firstChart(in html: String) -> (svg: Substring, title: String)? {
        var rest = html[...]
        while let start = rest.range(of: "<svg class=\"dsr ") {
            guard let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) else { return nil }
            let svg = rest[start.lowerBound..<end.upperBound]
            let tag = svg.prefix { $0 != ">" }
            if !tag.contains("dsr-narrow") {
                let title = svg.range(of: "<title").flatMap { t in
                    svg[t.upperBound...].firstIndex(of: ">").flatMap { open in
                        svg[open...].range(of: "</title>").map { String(svg[svg.index(after: open)..<$0.lowerBound]) }
                    }
                } ?? ""
                return (svg, unescape(title))
            }
            rest = rest[end.upperBound...]
        }
        return nil
    }

    /// Text as SVGKit escaped it, read back.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `text` in at most `lines` lines of `width` units at `size` (bold), one `<text>`
    /// per line (escaped): SVGKit's wrapping, which ends a cut line with "…".
    static func lines(_ text: String, x: Double, y: Double, width: Double, size: Double, leading: Double, lines: Int,
                      bold: Bool = false, fill: String) -> (svg: String, count: Int) {
        var (wrapped, cut) = SVGKit.wrap(text, width: width, size: size, lines: lines, bold: bold)
        // A card has no tooltip: a cut line always says so.
        if cut, let last = wrapped.last, !last.hasSuffix("…") {
            let room = SVGKit.truncate(last, width: width - SVGKit.textWidth("…", size: size, bold: bold), size: size, bold: bold)
            wrapped[wrapped.count - 1] = room.cut ? room.text : last + "…"
        }
        let svg = wrapped.enumerated().map { i, line in
            SVGKit.text(line, x: x, y: y + Double(i) * leading, size: size, weight: bold ? "700" : nil, fill: fill)
        }.joined(separator: "\n")
        return (svg, wrapped.count)
    }

    static let accent = "#0e6e66", ink = "#1a1a1a", muted = "#595959"

    /// A page's card: the site's title, the page's title (plain text), its chart.
    static func svg(siteTitle: String, title: String, chart: Substring) -> String {
        // The chart's own drawing, scaled into the card below the titles.
        let open = chart.prefix { $0 != ">" }
        let viewBox = open.range(of: "viewBox=\"").map { r in open[r.upperBound...].prefix { $0 != "\"" } } ?? "0 0 720 400"
        let font = open.range(of: "font-family=\"").map { r in open[r.upperBound...].prefix { $0 != "\"" } } ?? "sans-serif"
        let body = chart.drop { $0 != ">" }.dropFirst().dropLast("</svg>".count)
        let heading = lines(title, x: 60, y: 150, width: 1080, size: 50, leading: 58, lines: 2, bold: true, fill: ink)
        let top = 120 + heading.count * 58
        return card(siteTitle: siteTitle) + heading.svg + "\n"
            + "<svg x=\"60\" y=\"\(top)\" width=\"1080\" height=\"\(585 - top)\" viewBox=\"\(viewBox)\" preserveAspectRatio=\"xMidYMid meet\" font-family=\"\(font)\">\n"
            + body + "\n</svg>\n</svg>\n"
    }

    /// The site's title card: its title and description (plain text).
    static func svg(siteTitle: String, description: String) -> String {
        let title = lines(siteTitle, x: 60, y: 200, width: 1080, size: 76, leading: 86, lines: 3, bold: true, fill: ink)
        let below = 200 + Double(title.count - 1) * 86 + 80
        return card(siteTitle: "") + title.svg + "\n"
            + lines(description, x: 60, y: below, width: 1080, size: 32, leading: 42, lines: 3, fill: muted).svg + "\n</svg>\n"
    }

    /// The card's frame: white, a band in the accent colour, the site's title above.
    private static func card(siteTitle: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="DejaVu Sans, sans-serif">
        <style>.cell{stroke:#767676}.dsr-outline{stroke:#1a1a1a}.dsr-axis line{stroke:#d5d9dd}</style>
        <rect width="\(width)" height="\(height)" fill="#ffffff"/>
        <rect width="\(width)" height="14" fill="\(accent)"/>
        <rect y="\(height - 14)" width="\(width)" height="14" fill="\(accent)"/>
        \(SVGKit.text(siteTitle.uppercased(), x: 60, y: 78, size: 26, weight: "700", fill: accent, extra: " letter-spacing=\"1.5\""))

        """
    }

    static let missingTool = "share cards need rsvg-convert (librsvg): install it with `make deps` (or `apt-get install librsvg2-bin`)"

    /// Where the drawn cards are kept: beside the output, as the build cache is.
    static func cacheLocation(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).dossier-cards", isDirectory: true)
    }

    /// `rsvg-convert` on `PATH`, or nil.
    static func rasteriser(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") -> String? {
        path.split(separator: ":").map { String($0) + "/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The PNG of each SVG (by output path), from the cache folder where it was made
    /// before, else rasterised (in parallel) and kept there. The cache keeps only these.
    static func rasterise(_ cards: [(path: String, svg: String)], cache: URL, threads: Int) throws(DiagnosticError) -> [String: [UInt8]] {
        guard !cards.isEmpty else { return [:] }
        let tool = rasteriser()
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let names = cards.map { SHA256.hex($0.svg.utf8) }
        let results = Array(cards.indices).parallelMap(threads: threads) { i -> Result<[UInt8], DiagnosticError> in
            let png = cache.appendingPathComponent(names[i] + ".png")
            if let bytes = FileText.bytes(png.path) { return .success(bytes) }
            guard let tool else { return .failure(DiagnosticError(.error(missingTool))) }
            let svg = cache.appendingPathComponent(names[i] + ".svg")
            do { try Data(cards[i].svg.utf8).write(to: svg) } catch {
                return .failure(DiagnosticError(.error("could not write \(svg.path): \(error.localizedDescription)")))
            }
            defer { unlink(svg.path) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["--width", "\(width)", "--height", "\(height)", "--format", "png", "--output", png.path + ".part", svg.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return .failure(DiagnosticError(.error("could not start \(tool): \(error.localizedDescription)"))) }
            // Our own SVG, small and bounded; still, never wait on it forever.
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            if process.isRunning {
                process.terminate()
                unlink(png.path + ".part")
                return .failure(DiagnosticError(.error("rsvg-convert took more than \(Int(timeout)) s on the share card \(cards[i].path)")))
            }
            guard process.terminationStatus == 0, rename(png.path + ".part", png.path) == 0, let bytes = FileText.bytes(png.path) else {
                unlink(png.path + ".part")
                return .failure(DiagnosticError(.error("rsvg-convert could not draw the share card \(cards[i].path) (exit status \(process.terminationStatus))")))
            }
            return .success(bytes)
        }
        var out: [String: [UInt8]] = [:], problems: [Diagnostic] = [], seen = Set<String>()
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let bytes): out[cards[i].path] = bytes
            case .failure(let error):  // a missing tool once, not once per card
                for problem in error.diagnostics where seen.insert(problem.message).inserted { problems.append(problem) }
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        // Cards no page shows any more leave the cache.
        let kept = Set(names.map { $0 + ".png" })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? [] where !kept.contains(name) {
            unlink(cache.appendingPathComponent(name).path)
        }
        return out
    }
}
