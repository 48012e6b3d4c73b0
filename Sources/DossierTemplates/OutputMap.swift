import DossierCore

/// Which template statement wrote each stretch of a render's output, so that a problem
/// found in the output (a broken link) is reported where the template wrote it rather
/// than found again by searching the templates' text.
///
/// Recorded for what templates write themselves: literal text (located to the byte) and the
/// values of `{{ … }}` (located at the expression), in macros, `super()` and `caller()`
/// too when their output is written whole. Trusted HTML a value brings (rendered Markdown,
/// a chart) is left out: its own source locates it. Entries are plain numbers (a page
/// records hundreds): the templates they name are kept once each.
public struct OutputMap: Sendable {
    private struct Entry: Sendable {
        /// The stretch of the output, UTF-8 offsets.
        var start: Int
        var end: Int
        /// Into `templates`.
        var template: Int32
        /// Literal text: the source offset of its first byte; a value: -1.
        var source: Int32
        /// A value's expression.
        var line: Int32
        var column: Int32
    }

    private var entries: [Entry] = []
    private var templates: [Template] = []

    init() {}

    /// Literal text of `template` from its source offset `source`, written at `start..<end`.
    mutating func recordText(_ template: Template, source: Int, start: Int, end: Int) {
        guard end > start else { return }
        entries.append(Entry(start: start, end: end, template: index(of: template), source: Int32(clamping: source), line: 0, column: 0))
    }

    /// A value of the expression at `location` in `template`, written at `start..<end`.
    mutating func recordValue(_ template: Template, at location: SourceLocation, start: Int, end: Int) {
        guard end > start else { return }
        entries.append(Entry(start: start, end: end, template: index(of: template), source: -1,
                             line: Int32(clamping: location.line), column: Int32(clamping: location.column)))
    }

    /// Another render's map, for its output written at `offset` of this one.
    mutating func append(_ other: OutputMap, at offset: Int) {
        for entry in other.entries {
            var moved = entry
            moved.start += offset
            moved.end += offset
            moved.template = index(of: other.templates[Int(entry.template)])
            entries.append(moved)
        }
    }

    private mutating func index(of template: Template) -> Int32 {
        // Consecutive entries mostly come from one template: try the last first.
        if let last = entries.last, templates[Int(last.template)].path == template.path { return last.template }
        if let k = templates.firstIndex(where: { $0.path == template.path }) { return Int32(k) }
        templates.append(template)
        return Int32(templates.count - 1)
    }

    /// The template location that wrote the byte at UTF-8 `offset` of the output, with
    /// that line of the template; nil for output no template statement wrote itself.
    public func origin(ofByte offset: Int) -> (location: SourceLocation, line: String)? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].start <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0, offset < entries[low - 1].end else { return nil }
        let entry = entries[low - 1], template = templates[Int(entry.template)]
        let location = entry.source >= 0 ? template.location(ofByte: Int(entry.source) + offset - entry.start)
            : SourceLocation(path: template.path, line: Int(entry.line), column: Int(entry.column))
        guard let location else { return nil }
        return (location, template.line(location.line) ?? "")
    }
}
