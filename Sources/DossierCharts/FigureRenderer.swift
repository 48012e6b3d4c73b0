import DossierCore
import DossierData

/// The envelope every chart and table shares (CHARTS.md §1): number and title, the SVG or
/// table, notes, the source, download links, and for charts the data table one click away.
public enum FigureRenderer {
    /// An earlier figure on the page, by its label ("Figure 1") and id.
    public struct Reference: Sendable, Hashable {
        public var label: String, id: String
        public init(label: String, id: String) { self.label = label; self.id = id }
    }

    /// `notesAsFor`: an earlier figure on the page drawn from the same dataset, which gave
    /// its notes, source and licence; this one refers to it instead of repeating them.
    public static func html(_ figure: Figure, notesAsFor earlier: Reference? = nil) -> String {
        let title = figure.spec.title ?? figure.dataset.title
        var out = "<figure class=\"dsr-figure\(figure.isTable ? " dsr-table-figure" : "")\" id=\"\(figure.id)\">\n"
        let captionID = figure.id + "-cap"
        if figure.isTable {
            var caption = "<span class=\"fig-label\">\(figure.label).</span> \(HTML.escape(title))"
            if let sub = figure.spec.subtitle { caption += "<span class=\"fig-subtitle\">\(HTML.escape(sub))</span>" }
            out += "<div class=\"scroll\" role=\"region\" aria-labelledby=\"\(captionID)\" tabindex=\"0\">\n"
            out += TableRenderer.table(figure, captionID: captionID, caption: caption)
            out += "\n</div>\n"
            out += notes(figure, asFor: earlier)
        } else {
            out += "<figcaption id=\"\(captionID)\"><span class=\"fig-label\">\(figure.label).</span> <span class=\"fig-title\">\(HTML.escape(title))</span>"
            if let sub = figure.spec.subtitle { out += "<span class=\"fig-subtitle\">\(HTML.escape(sub))</span>" }
            out += "</figcaption>\n"
            out += svg(figure) + "\n"
            out += notes(figure, asFor: earlier)
            out += "<details class=\"fig-data\"><summary>Data table for \(figure.label.lowercased())</summary>\n"
            out += "<div class=\"scroll\" role=\"region\" aria-labelledby=\"\(figure.id)-tcap\" tabindex=\"0\">\n"
            out += TableRenderer.table(figure, captionID: figure.id + "-tcap", caption: "Data behind \(figure.label.lowercased()): \(HTML.escape(title))")
            out += "\n</div></details>\n"
        }
        return out + "</figure>"
    }

    /// The chart twice: wide (720 units, also used in print) and narrow (360 units, for
    /// phones, where the wide one would shrink its text below a legible size). CSS shows one.
    public static func svg(_ figure: Figure) -> String {
        var wide = figure, narrow = figure
        wide.variant = .wide
        narrow.variant = .narrow
        narrow.width = 360
        return drawing(wide) + "\n" + drawing(narrow)
    }

    static func drawing(_ figure: Figure) -> String {
        switch figure.spec.kind {
        case .heatmap: return HeatmapChart(figure: figure).svg()
        case .dumbbell: return DumbbellChart(figure: figure).svg()
        case .bar: return BarChart(figure: figure, grouped: false).svg()
        case .groupedBar: return BarChart(figure: figure, grouped: true).svg()
        case .line: return LineChart(figure: figure).svg()
        case .table: return ""
        }
    }

    static func notes(_ figure: Figure, asFor earlier: Reference? = nil) -> String {
        let d = figure.dataset
        var parts: [String] = []
        if let caption = figure.spec.caption { parts.append("<p class=\"fig-caption\">\(HTML.escape(caption))</p>") }
        if let earlier {
            parts.append("<p class=\"fig-source\">Notes, source and licence: as for <a href=\"#\(HTML.escape(earlier.id))\">\(earlier.label)</a>. "
                + "<a class=\"download\" href=\"\(HTML.escape(figure.csvURL))\" download>Download the data (CSV)</a> · <a href=\"\(HTML.escape(figure.jsonURL))\">JSON</a></p>")
            return "<div class=\"fig-notes\">\n" + parts.joined(separator: "\n") + "\n</div>\n"
        }
        for note in d.notes { parts.append("<p class=\"fig-note\">Note: \(HTML.escape(note))</p>") }
        var scaleNotes: [String] = []
        for c in figure.columns {
            if let scale = figure.scale(of: c), let note = scale.note, !scaleNotes.contains(note) { scaleNotes.append(note) }
        }
        for note in scaleNotes { parts.append("<p class=\"fig-note\">How levels were assigned: \(HTML.escape(note))</p>") }
        if d.missingCount > 0 {
            parts.append("<p class=\"fig-note\">“\(TableRenderer.missingText.prefix(1).uppercased() + TableRenderer.missingText.dropFirst())” marks a value the source does not give.</p>")
        }
        var source = "<p class=\"fig-source\">Source: "
        if let s = d.source {
            if let url = s.url { source += "<a href=\"\(HTML.escape(url))\">\(HTML.escape(s.name))</a>" } else { source += HTML.escape(s.name) }
        } else {
            source += "not given"
        }
        if let updated = d.updated { source += " (\(HTML.escape(updated)))" }
        source += "."
        if let asOf = d.remote?.asOf {
            source += " Data as of <time datetime=\"\(DateText.day(asOf))\">\(DateText.strftime("%-d %B %Y", asOf))</time>."
        }
        if let licence = d.licence { source += " Licence: \(HTML.escape(licence))." }
        source += " <a class=\"download\" href=\"\(HTML.escape(figure.csvURL))\" download>Download the data (CSV)</a>"
        source += " · <a href=\"\(HTML.escape(figure.jsonURL))\">JSON</a></p>"
        parts.append(source)
        return "<div class=\"fig-notes\">\n" + parts.joined(separator: "\n") + "\n</div>\n"
    }
}
