import DossierCore
import Foundation

/// Headless fragments and the ```` ```include ```` blocks that read them.
///
/// A file or folder under `Content/` whose name starts with `_` (Hugo's `_common/`, the
/// C++ docs' `_includes/`; `_index.md` excepted, it is a section's index) holds Markdown
/// that is not a page of its own. A page brings one in with
///
///     ```include
///     file: _common/note.md
///     ```
///
/// at the start of a line: the fragment's body (its front matter, if any, dropped) takes
/// the block's place before the page's Markdown is parsed, so its headings, notes and
/// citations are the page's own, and its links resolve from the page's folder, as if
/// written there. Fragments may include fragments; a cycle, a file outside `Content/`, a
/// missing file and an expansion past `maximumBytes` are located errors, and problems in
/// a fragment's text are reported in the fragment, with the include that brought it in.
enum Includes {
    /// What every include of one page may add up to.
    static let maximumBytes = 16 << 20
    /// How deep includes may nest.
    static let maximumDepth = 8

    /// Whether `relative` (a path under `Content/`) is in, or is, a headless fragment.
    static func isHeadless(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/")
        for (i, part) in parts.enumerated() where part.hasPrefix("_") {
            if i == parts.count - 1 && part == "_index.md" { continue }
            return true
        }
        return false
    }

    /// Cheap test before the line scan: a fence's info string `include` appears at all
    /// (`memchr` for each "i", then the other six bytes: most pages pay one pass).
    static func mayInclude(_ body: String) -> Bool {
        var body = body
        return body.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count >= 7 else { return false }
            let rest: [UInt8] = Array("nclude".utf8)
            var at = 0
            while at < bytes.count - 6, let found = memchr(base + at, Int32(UInt8(ascii: "i")), bytes.count - 6 - at) {
                let i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                if (0..<6).allSatisfy({ bytes[i + 1 + $0] == rest[$0] }) { return true }
                at = i + 1
            }
            return false
        }
    }

    /// A page's body with its includes expanded, and where each of its lines came from.
    struct Expansion: Sendable {
        var body: String
        var lines: LineMap
        /// The fragments read (relative to `Content/`), each once, with their text (for
        /// the page's digest).
        var fragments: [(path: String, text: String)]
    }

    /// Where each line of an expanded body came from. Lines are counted as the Markdown
    /// renderer counts them: the page's body starts at its `bodyFirstLine`.
    struct LineMap: Sendable {
        struct Segment: Sendable {
            /// The first expanded line of this run, and how many lines it has.
            var start: Int
            var count: Int
            /// Where its first line is.
            var path: String
            var firstLine: Int
            /// The include blocks that brought it in, innermost first (empty: the page).
            var includedFrom: [SourceLocation]
        }

        var segments: [Segment]

        private func segment(_ line: Int) -> Segment? {
            segments.last { $0.start <= line && line < $0.start + max(1, $0.count) }
        }

        /// A location in the expanded body, in the file its line came from.
        func locate(_ location: SourceLocation) -> (location: SourceLocation, includedFrom: [SourceLocation]) {
            guard let s = segment(location.line) else { return (location, []) }
            return (SourceLocation(path: s.path, line: s.firstLine + location.line - s.start, column: location.column), s.includedFrom)
        }

        /// A location in the expanded body, as a line of the page itself: a line a
        /// fragment brought in is the line of the page's include block.
        func pageLine(_ line: Int) -> Int {
            guard let s = segment(line) else { return line }
            return s.includedFrom.last?.line ?? s.firstLine + line - s.start
        }

        /// `diagnostic`, reported where its line came from (a note for each include).
        func locate(_ diagnostic: Diagnostic, page: String) -> Diagnostic {
            guard let location = diagnostic.location, location.path == page else { return diagnostic }
            let (moved, chain) = locate(location)
            var copy = diagnostic
            copy.location = moved
            copy.notes += chain.map { "included from \($0)" }
            return copy
        }
    }

    /// Expands the include blocks of `body` (of the page `path`, body starting at
    /// `firstLine`); nil when there are none.
    static func expand(_ body: String, path: String, firstLine: Int, contentPath: String,
                       diagnostics: Diagnostics) throws(DiagnosticError) -> Expansion? {
        guard mayInclude(body) else { return nil }
        var state = State(contentPath: contentPath, diagnostics: diagnostics)
        var lines: [Substring] = []
        var segments: [LineMap.Segment] = []
        try state.expand(body, path: path, firstLine: firstLine, chain: [], stack: [path], base: firstLine, into: &lines, segments: &segments)
        guard !state.fragments.isEmpty || !state.problems.isEmpty else { return nil }
        if !state.problems.isEmpty { throw DiagnosticError(state.problems) }
        return Expansion(body: lines.joined(separator: "\n"), lines: LineMap(segments: segments), fragments: state.fragments)
    }

    private struct State {
        let contentPath: String
        let diagnostics: Diagnostics
        var fragments: [(path: String, text: String)] = []
        var problems: [Diagnostic] = []
        var bytes = 0

        /// Appends `text`'s lines (the file `path`'s, from its line `firstLine`) to `lines`,
        /// its include blocks replaced by their fragments; each run of lines from one file
        /// is a segment. `base`: the expanded body's first line number.
        mutating func expand(_ text: String, path: String, firstLine: Int, chain: [SourceLocation], stack: [String], base: Int,
                             into lines: inout [Substring], segments: inout [LineMap.Segment]) throws(DiagnosticError) {
            let source = text.split(separator: "\n", omittingEmptySubsequences: false)
            var runStart = 0
            func flush(to end: Int, lines: inout [Substring], segments: inout [LineMap.Segment]) {
                guard end > runStart else { return }
                segments.append(LineMap.Segment(start: base + lines.count, count: end - runStart, path: path,
                                                firstLine: firstLine + runStart, includedFrom: chain))
                lines.append(contentsOf: source[runStart..<end])
            }
            var fence: (marker: UInt8, length: Int)?
            var i = 0
            while i < source.count {
                let line = source[i]
                if let open = fence {
                    if Self.closes(line, open) { fence = nil }
                    i += 1
                    continue
                }
                guard let opened = Self.opensFence(line) else { i += 1; continue }
                // Only at the start of a line: one indented may be inside a list item, where
                // cmark leaves it a code block and the Markdown step reports it.
                guard opened.info == "include", opened.indent == 0 else {
                    fence = (opened.marker, opened.length)
                    i += 1
                    continue
                }
                let at = SourceLocation(path: path, line: firstLine + i, column: 1)
                var end = i + 1
                while end < source.count, !Self.closes(source[end], (opened.marker, opened.length)) { end += 1 }
                guard end < source.count else {
                    problems.append(Diagnostic.error("this include block is never closed", at: at, sourceLine: String(line)))
                    break
                }
                flush(to: i, lines: &lines, segments: &segments)
                let blockBody = source[(i + 1)..<end].joined(separator: "\n")
                if let fragment = resolve(blockBody, at: at, including: path, stack: stack, text: text, firstLine: firstLine) {
                    try expand(fragment.body, path: fragment.path, firstLine: fragment.firstLine, chain: [at] + chain,
                               stack: stack + [fragment.path], base: base, into: &lines, segments: &segments)
                }
                i = end + 1
                runStart = i
            }
            flush(to: source.count, lines: &lines, segments: &segments)
        }

        /// Reads the fragment the include block at `at` names (its body `blockBody`, in
        /// `text`, the file that starts at `firstLine`), or records why it cannot.
        mutating func resolve(_ blockBody: String, at: SourceLocation, including: String, stack: [String],
                              text: String, firstLine: Int) -> (path: String, body: String, firstLine: Int)? {
            func fail(_ message: String, _ location: SourceLocation) -> (path: String, body: String, firstLine: Int)? {
                problems.append(Diagnostic.error(message, at: location, sourceLine: SourceText.line(location.line - firstLine + 1, of: text)))
                return nil
            }
            let tree: YAMLTree
            do throws(DiagnosticError) {
                tree = try YAMLReader.parse(blockBody, path: at.path, firstLine: at.line + 1)
            } catch {
                problems += error.diagnostics.map { d in
                    var d = d
                    if d.sourceLine == nil, let l = d.location { d.sourceLine = SourceText.line(l.line - firstLine + 1, of: text) }
                    return d
                }
                return nil
            }
            guard case .mapping(let pairs, _) = tree, let fileNode = tree["file"], case .string(let file) = fileNode.value,
                  !file.trimmingSpaces.isEmpty else {
                return fail("an include block holds one line, 'file: PATH' (e.g. file: _common/note.md)", tree["file"]?.location ?? at)
            }
            if let other = pairs.first(where: { $0.key != "file" }) {
                return fail("unknown key '\(other.key)' in an include block: it holds one line, 'file: PATH'", other.value.location)
            }
            guard file.lowercased().hasSuffix(".md") else {
                return fail("an include names a Markdown file (.md), got '\(file)'", fileNode.location)
            }
            // `/…` is from Content/; otherwise from the including file's folder, then Content/.
            let folder = String(including.dropFirst("Content/".count)).split(separator: "/").dropLast().joined(separator: "/")
            let written = file.hasPrefix("/") ? [String(file.drop { $0 == "/" })] : (folder.isEmpty ? [] : [folder + "/" + file]) + [file]
            var candidates: [String] = []
            for candidate in written {
                guard let relative = URLPath.normaliseRelative(candidate) else {
                    return fail("the include '\(file)' leads outside Content/", fileNode.location)
                }
                if !candidates.contains(relative) { candidates.append(relative) }
            }
            guard let relative = candidates.first(where: { FileManager.default.fileExists(atPath: contentPath + "/" + $0) }) else {
                return fail("no file to include at " + candidates.map { "Content/" + $0 }.joined(separator: " or "), fileNode.location)
            }
            let shown = "Content/" + relative
            guard FileTree.isInside(contentPath + "/" + relative, root: contentPath) else {
                return fail(FileTree.explain(.leadsOutside, shown), fileNode.location)
            }
            if let cycle = stack.firstIndex(of: shown) {
                return fail("this include makes a cycle: " + (stack[cycle...] + [shown]).joined(separator: " → "), fileNode.location)
            }
            guard stack.count <= maximumDepth else {
                return fail("includes nest more than \(maximumDepth) deep here", fileNode.location)
            }
            let fragmentText: String
            switch SiteLoader.readText(contentPath + "/" + relative, display: shown, diagnostics: diagnostics) {
            case .success(let t): fragmentText = t
            case .failure(let failure): return fail("the included file \(failure.explanation)", fileNode.location)
            }
            bytes += fragmentText.utf8.count
            guard bytes <= maximumBytes else {
                return fail("this page's includes add up to more than \(maximumBytes >> 20) MiB", fileNode.location)
            }
            let matter: FrontMatter
            do throws(DiagnosticError) {
                matter = try FrontMatter.parse(fragmentText, path: shown, fragment: true)
            } catch {
                problems += error.diagnostics.map { d in var d = d; d.notes.append("included from \(at)"); return d }
                return nil
            }
            if !fragments.contains(where: { $0.path == relative }) { fragments.append((relative, fragmentText)) }
            return (shown, matter.body, matter.bodyFirstLine)
        }

        /// A line opening a fenced code block: its indent, fence character and length,
        /// and the first word of its info string.
        static func opensFence(_ line: Substring) -> (indent: Int, marker: UInt8, length: Int, info: String)? {
            let bytes = Array(line.utf8)
            var i = 0
            while i < bytes.count, i < 4, bytes[i] == UInt8(ascii: " ") { i += 1 }
            guard i < 4, i < bytes.count, bytes[i] == UInt8(ascii: "`") || bytes[i] == UInt8(ascii: "~") else { return nil }
            let marker = bytes[i], indent = i
            while i < bytes.count, bytes[i] == marker { i += 1 }
            let length = i - indent
            guard length >= 3 else { return nil }
            let info = String(decoding: bytes[i...], as: UTF8.self).trimmingSpaces
            if marker == UInt8(ascii: "`"), info.contains("`") { return nil }
            return (indent, marker, length, String(info.prefix { $0 != " " && $0 != "\t" && $0 != "{" }))
        }

        /// Whether `line` closes a fence opened with `marker` × `length`.
        static func closes(_ line: Substring, _ fence: (marker: UInt8, length: Int)) -> Bool {
            let trimmed = line.drop { $0 == " " }
            guard line.count - trimmed.count < 4 else { return false }
            let run = trimmed.utf8.prefix { $0 == fence.marker }.count
            return run >= fence.length && trimmed.utf8.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == 0x0D }
        }
    }
}
