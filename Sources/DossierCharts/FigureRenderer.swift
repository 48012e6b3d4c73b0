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
            out += "<details class=\"fig-data\"><summary>\(figure.text.html("data_table_summary", ["n": String(figure.number)]))</summary>\n"
            out += "<div class=\"scroll\" role=\"region\" aria-labelledby=\"\(figure.id)-tcap\" tabindex=\"0\">\n"
            out += TableRenderer.table(figure, captionID: figure.id + "-tcap", caption: figure.text.html("data_table_caption", ["n": String(figure.number), "title": HTML.escape(title)]))
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
        let d = figure.dataset, t = figure.text
        var parts: [String] = []
        if let caption = figure.spec.caption { parts.append("<p class=\"fig-caption\">\(HTML.escape(caption))</p>") }
        if let earlier {
            parts.append("<p class=\"fig-source\">" + t.html("notes_as_for", ["figure": "<a href=\"#\(HTML.escape(earlier.id))\">\(HTML.escape(earlier.label))</a>"]) + " "
                + downloads(figure) + "</p>")
            return "<div class=\"fig-notes\">\n" + parts.joined(separator: "\n") + "\n</div>\n"
        }
        for note in d.notes { parts.append("<p class=\"fig-note\">" + t.html("note", ["text": HTML.escape(note)]) + "</p>") }
        var scaleNotes: [String] = []
        for c in figure.columns {
            if let scale = figure.scale(of: c), let note = scale.note, !scaleNotes.contains(note) { scaleNotes.append(note) }
        }
        for note in scaleNotes { parts.append("<p class=\"fig-note\">" + t.html("levels_note", ["text": HTML.escape(note)]) + "</p>") }
        if d.missingCount > 0 {
            let missing = t("not_stated")
            parts.append("<p class=\"fig-note\">" + t.html("missing_note", ["missing": HTML.escape(missing.prefix(1).uppercased() + missing.dropFirst())]) + "</p>")
        }
        var name = t.html("source_not_given")
        if let s = d.source { name = s.url.map { "<a href=\"\(HTML.escape($0))\">\(HTML.escape(s.name))</a>" } ?? HTML.escape(s.name) }
        var source = "<p class=\"fig-source\">"
        source += d.updated.map { t.html("source_updated", ["source": name, "updated": HTML.escape($0)]) } ?? t.html("source", ["source": name])
        if let asOf = d.remote?.asOf {
            let date = "<time datetime=\"\(DateText.day(asOf))\">\(HTML.escape(DateText.strftime(t("date_format"), asOf)))</time>"
            source += " " + t.html("data_as_of", ["date": date])
        }
        if let licence = d.licence { source += " " + t.html("licence", ["licence": HTML.escape(licence)]) }
        source += " " + downloads(figure) + "</p>"
        parts.append(source)
        return "<div class=\"fig-notes\">\n" + parts.joined(separator: "\n") + "\n</div>\n"
    }

    /// The links to the figure's data.
    private static func downloads(_ figure: Figure) -> String {
        "<a class=\"download\" href=\"\(HTML.escape(figure.csvURL))\" download>\(figure.text.html("download_csv"))</a>"
            + " · <a href=\"\(HTML.escape(figure.jsonURL))\">\(figure.text.html("download_json"))</a>"
    }
}
