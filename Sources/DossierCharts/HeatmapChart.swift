import DossierCore
import DossierData

/// Ordinal rows × columns: each cell coloured by level and labelled with the level's
/// name, an ordered legend, hatched cells for missing values.
struct HeatmapChart {
    let figure: Figure

    /// Where everything goes: the columns (highlighted first), the levels, and the
    /// geometry of headers, rows and cells.
    private struct Layout {
        var columns: [Int]
        var highlightColumn: Int?
        var levels: [Scale.Level]
        var right = 8.0
        var labelWidth: Double
        /// Row labels on lines of their own above the cells (a phone-width figure).
        var stacked: Bool
        var left: Double
        var cellWidth: Double
        var headerSize = 13.0
        var top: Double
        var cellHeight = 46.0
        var gap = 2.0
        var rowLabelLines: [[String]]
        /// Each row's top.
        var rowTops: [Double]
        var cellsBottom: Double
    }

    func svg() -> String {
        let frame = ChartFrame(figure: figure)
        let layout = self.layout(frame)
        let body = "<g class=\"dsr-headers\">\n" + headers(layout) + "</g>\n<g class=\"dsr-cells\">\n" + cells(layout, frame) + outline(layout) + "</g>\n"
        let (legend, bottom) = self.legend(layout)
        return frame.wrap(height: bottom + 16, summary: summary(columns: layout.columns, levels: layout.levels), body: body + legend)
    }

    private func layout(_ frame: ChartFrame) -> Layout {
        let d = figure.dataset
        var columns = figure.columns
        if let h = figure.spec.highlight, let hc = d.columnIndex(h), let i = columns.firstIndex(of: hc) {
            columns.remove(at: i)
            columns.insert(hc, at: 0)
        }
        let highlightColumn = figure.spec.highlight.flatMap { d.columnIndex($0) }
        let levels = columns.compactMap { figure.scale(of: $0) }.first?.levels ?? []
        let right = 8.0
        let labelWidth = frame.labelColumnWidth(frame.rowLabels)
        // Row labels beside the rows, unless that leaves cells too narrow for the level
        // names (a phone-width figure): then each row's label goes on a line of its own
        // above its cells, which take the whole width.
        let longestLevel = levels.map { SVGKit.textWidth($0.name, size: 12) }.max() ?? 0
        let besideWidth = (figure.width - (8 + labelWidth + 12) - right) / Double(max(columns.count, 1))
        let stacked = besideWidth - 10 < longestLevel && (figure.width - 8 - right) / Double(max(columns.count, 1)) > besideWidth
        let left = stacked ? 8 : 8 + labelWidth + 12
        let cellWidth = (figure.width - left - right) / Double(max(columns.count, 1))
        let headerSize = 13.0
        let headerLines = columns.map { SVGKit.wrap(d.columns[$0].name, width: cellWidth - 8, size: headerSize, bold: $0 == highlightColumn).lines.count }.max() ?? 1
        let top = 8 + Double(headerLines) * headerSize * 1.2 + 8
        let cellHeight = 46.0
        // Each row's top and the height of its label line (stacked layout only).
        let rowLabelLines = figure.rows.map { r in
            stacked ? SVGKit.wrap(d.rows[r][d.keyColumn].raw, width: figure.width - 16, size: 13, bold: true).lines : []
        }
        var rowTops: [Double] = []
        var nextTop = top
        for lines in rowLabelLines {
            rowTops.append(nextTop)
            nextTop += (stacked ? stackedLabelHeight(Double(lines.count)) : 0) + cellHeight
        }
        return Layout(columns: columns, highlightColumn: highlightColumn, levels: levels, right: right, labelWidth: labelWidth, stacked: stacked,
                      left: left, cellWidth: cellWidth, headerSize: headerSize, top: top, cellHeight: cellHeight,
                      rowLabelLines: rowLabelLines, rowTops: rowTops, cellsBottom: nextTop)
    }

    /// The column names, wrapped above their cells.
    private func headers(_ l: Layout) -> String {
        let d = figure.dataset
        var body = ""
        for (i, c) in l.columns.enumerated() {
            let x = l.left + Double(i) * l.cellWidth + l.cellWidth / 2
            let bold = c == l.highlightColumn
            let wrapped = SVGKit.wrap(d.columns[c].name, width: l.cellWidth - 8, size: l.headerSize, bold: bold)
            let y0 = l.top - 8 - Double(wrapped.lines.count - 1) * l.headerSize * 1.2 - 2
            body += "<text x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y0))\" font-size=\"\(SVGKit.n(l.headerSize))\" fill=\"\(ChartFrame.fg)\" text-anchor=\"middle\"\(bold ? " font-weight=\"700\"" : "")>"
            for (k, line) in wrapped.lines.enumerated() {
                body += "<tspan x=\"\(SVGKit.n(x))\"\(k > 0 ? " dy=\"\(SVGKit.n(l.headerSize * 1.2))\"" : "")>\(HTML.escape(line))</tspan>"
            }
            body += "</text>\n"
        }
        return body
    }

    /// Each row's label and cells: a level's colour and name, or hatching when missing.
    private func cells(_ l: Layout, _ frame: ChartFrame) -> String {
        let d = figure.dataset
        var body = ""
        for (r, row) in figure.rows.enumerated() {
            let cells = d.rows[row]
            var y = l.rowTops[r]
            if l.stacked {
                // First baseline 18 below the row's top; the lines as `rowLabel` centres them.
                let lines = Double(l.rowLabelLines[r].count)
                body += frame.rowLabel(cells[d.keyColumn].raw, x: l.left, centerY: y + 18 - 13 * 0.35 + (lines - 1) * 13 * 1.2 / 2,
                                       width: figure.width - 16, bold: true, anchor: "start")
                y += stackedLabelHeight(lines)
            } else {
                body += frame.rowLabel(cells[d.keyColumn].raw, x: l.left - 12, centerY: y + l.cellHeight / 2, width: l.labelWidth)
            }
            for (i, c) in l.columns.enumerated() {
                body += cell(cells[c], label: "\(cells[d.keyColumn].raw), \(d.columns[c].name): ", x: l.left + Double(i) * l.cellWidth, y: y, l)
            }
        }
        return body
    }

    private func cell(_ cell: Cell, label: String, x: Double, y: Double, _ l: Layout) -> String {
        let rowHeight = l.cellHeight, cellWidth = l.cellWidth, gap = l.gap
        let rect = "x=\"\(SVGKit.n(x + gap / 2))\" y=\"\(SVGKit.n(y + gap / 2))\" width=\"\(SVGKit.n(cellWidth - gap))\" height=\"\(SVGKit.n(rowHeight - gap))\""
        var body = ""
        if case .level(let level, let name) = cell.value {
            let swatch = ChartPalette.ordinal(level, of: l.levels.count)
            body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape(label + name))\">"
            body += "<rect class=\"cell\" \(rect) fill=\"\(swatch.fill)\" stroke=\"\(ChartFrame.stroke)\" stroke-width=\"1\"/>"
            // Shrink to 11 px before cutting the label short.
            let size = [13.0, 12, 11].first { SVGKit.textWidth(name, size: $0) <= cellWidth - 10 } ?? 11
            let shown = SVGKit.truncate(name, width: cellWidth - 10, size: size).text
            body += SVGKit.text(shown, x: x + cellWidth / 2, y: y + rowHeight / 2 + size * 0.35, anchor: "middle", size: size,
                                fill: swatch.label, cls: "on-fill")
            body += "</g>\n"
        } else {
            body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape(label + figure.text("not_stated")))\">"
            body += "<rect class=\"cell missing\" \(rect) fill=\"url(#\(figure.svgID)-hatch)\" stroke=\"\(ChartFrame.stroke)\" stroke-width=\"1\"/>"
            body += SVGKit.text("–", x: x + cellWidth / 2, y: y + rowHeight / 2 + 13 * 0.35, anchor: "middle", fill: ChartFrame.fg, cls: "on-fill")
            body += "</g>\n"
        }
        return body
    }

    /// The highlighted column outlined: once down the column; stacked, around each cell.
    private func outline(_ l: Layout) -> String {
        guard let hc = l.highlightColumn, let i = l.columns.firstIndex(of: hc) else { return "" }
        let x = l.left + Double(i) * l.cellWidth
        let spans = l.stacked ? l.rowTops.indices.map { r in (l.rowTops[r] + stackedLabelHeight(Double(l.rowLabelLines[r].count)), l.cellHeight) }
            : [(l.top, l.cellsBottom - l.top)]
        var body = ""
        for (y, height) in spans {
            body += "<rect class=\"dsr-outline\" x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y))\" width=\"\(SVGKit.n(l.cellWidth))\" height=\"\(SVGKit.n(height))\" fill=\"none\" stroke=\"\(ChartFrame.fg)\" stroke-width=\"2\"/>\n"
        }
        return body
    }

    /// Levels low → high, then "Not stated" after a gap; the legend and its last line's y.
    private func legend(_ l: Layout) -> (String, Double) {
        let d = figure.dataset
        var legend = "<g class=\"dsr-legend\">\n"
        var x = l.left
        var y = l.cellsBottom + 24
        for (i, level) in l.levels.enumerated() {
            let w = 16 + 6 + SVGKit.textWidth(level.name, size: 13) + 18
            if x + w > figure.width - l.right { x = l.left; y += 24 }
            let swatch = ChartPalette.ordinal(i, of: l.levels.count)
            legend += "<rect x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y - 12))\" width=\"16\" height=\"16\" fill=\"\(swatch.fill)\" stroke=\"\(ChartFrame.stroke)\"/>"
            legend += SVGKit.text(level.name, x: x + 22, y: y + 1, size: 13) + "\n"
            x += w
        }
        if d.missingCount > 0 && figure.rows.contains(where: { r in l.columns.contains { d.rows[r][$0].value.isMissing } }) {
            x += 12
            legend += "<rect x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y - 12))\" width=\"16\" height=\"16\" fill=\"url(#\(figure.svgID)-hatch)\" stroke=\"\(ChartFrame.stroke)\"/>"
            legend += SVGKit.text(figure.text("not_stated_legend"), x: x + 22, y: y + 1, size: 13) + "\n"
        }
        return (legend + "</g>\n", y)
    }

    /// The height a row's label takes above its cells in the stacked (phone) layout.
    private func stackedLabelHeight(_ lines: Double) -> Double { 6 + lines * 13 * 1.2 + 8 }

    /// "Heatmap of … N rows × M columns. Highest … Lowest … Highlight … K not stated."
    func summary(columns: [Int], levels: [Scale.Level]) -> String {
        let d = figure.dataset, t = figure.text
        let rowsNoun = d.columns[d.keyColumn].name.lowercased()
        var parts = [t("heatmap_summary", ["title": figure.spec.title ?? d.title, "rows": String(figure.rows.count), "row_noun": rowsNoun,
                                           "columns": String(columns.count), "low": levels.first?.name ?? "", "high": levels.last?.name ?? ""])]
        var cells: [(row: String, column: String, level: Int)] = []
        var missing = 0
        for r in figure.rows {
            for c in columns {
                if case .level(let l, _) = d.rows[r][c].value { cells.append((d.rows[r][d.keyColumn].raw, d.columns[c].name, l)) } else { missing += 1 }
            }
        }
        if let top = cells.map(\.level).max() {
            let names = cells.filter { $0.level == top }.map { t("heatmap_cell", ["column": $0.column, "row": $0.row]) }
            parts.append(t("heatmap_highest", ["level": levels[top].name, "cells": names.joined(separator: t("list_separator"))]))
        }
        if let bottom = cells.map(\.level).min() {
            let names = cells.filter { $0.level == bottom }.map { t("heatmap_cell", ["column": $0.column, "row": $0.row]) }
            parts.append(t("heatmap_lowest", ["level": levels[bottom].name, "cells": names.joined(separator: t("list_separator"))]))
        }
        if let h = figure.spec.highlight, let hc = d.columnIndex(h) {
            var behind = 0
            for r in figure.rows {
                guard let own = d.rows[r][hc].value.number else { continue }
                if columns.contains(where: { c in c != hc && (d.rows[r][c].value.number ?? -1) > own }) { behind += 1 }
            }
            parts.append(t("heatmap_highlight", ["name": h, "behind": String(behind), "rows": String(figure.rows.count)]))
        }
        if missing > 0 { parts.append(t("values_missing", count: missing)) }
        return parts.joined(separator: " ")
    }
}
