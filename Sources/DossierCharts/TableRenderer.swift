import DossierCore
import DossierData

/// Datasets as accessible HTML tables: `<caption>`, `<th scope>`, ordinal levels as text,
/// and missing values written out as "not stated", never left blank.
public enum TableRenderer {
    public static func table(_ figure: Figure, captionID: String, caption: String) -> String {
        let d = figure.dataset
        var out = "<table class=\"dsr-table\">\n<caption id=\"\(HTML.escape(captionID))\">\(caption)</caption>\n<thead><tr>"
        out += "<th scope=\"col\">\(HTML.escape(d.columns[d.keyColumn].name))</th>"
        for c in figure.columns {
            let numeric = d.columns[c].type == .number
            out += "<th scope=\"col\"\(numeric ? " class=\"num\"" : "")>\(HTML.escape(d.columns[c].name))\(unitSuffix(figure, c))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for r in figure.rows {
            let row = d.rows[r]
            let highlighted = figure.spec.highlight == row[d.keyColumn].raw
            out += highlighted ? "<tr class=\"dsr-highlight\">" : "<tr>"
            out += "<th scope=\"row\">\(HTML.escape(row[d.keyColumn].raw))</th>"
            for c in figure.columns { out += cell(row[c], column: d.columns[c], scale: figure.scale(of: c), text: figure.text) }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>"
        return out
    }

    static func unitSuffix(_ figure: Figure, _ column: Int) -> String {
        guard figure.dataset.columns[column].type == .number, let unit = figure.unit(of: column) else { return "" }
        return " <span class=\"unit\">(\(HTML.escape(unit)))</span>"
    }

    static func cell(_ cell: Cell, column: Column, scale: Scale?, text: ChartText) -> String {
        switch cell.value {
        case .missing:
            return "<td class=\"missing\"><span aria-hidden=\"true\">– </span>\(text.html("not_stated"))</td>"
        case .number(let n):
            return "<td class=\"num\">\(NumberText.grouped(n, decimals: decimals(n)))</td>"
        case .level(let index, let name):
            let steps = scale?.levels.count ?? 4
            var html = "<td class=\"level\"><span class=\"chip\" style=\"background:\(ChartPalette.ordinal(index, of: steps).fill)\" aria-hidden=\"true\"></span>\(HTML.escape(name))"
            if Scale.normalize(cell.raw) != Scale.normalize(name) {
                html += "<span class=\"wording\"> (" + text.html("source_wording", ["wording": HTML.escape(cell.raw)]) + ")</span>"
            }
            return html + "</td>"
        case .text(let t):
            return "<td>\(HTML.escape(t))</td>"
        case .date(let date):
            return "<td class=\"num\">\(DateText.day(date))</td>"
        }
    }

    static func decimals(_ n: Double) -> Int {
        if n == n.rounded() { return 0 }
        if (n * 10) == (n * 10).rounded() { return 1 }
        return 2
    }
}
