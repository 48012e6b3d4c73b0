import DossierCore
import DossierData

/// Ordinal rows × columns: each cell coloured by level and labelled with the level's
/// name, an ordered legend, hatched cells for missing values.
struct HeatmapChart {
    let figure: Figure

    func svg() -> String {
        let frame = ChartFrame(figure: figure)
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
        let gap = 2.0
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
        let cellsBottom = nextTop

        var body = "<g class=\"dsr-headers\">\n"
        for (i, c) in columns.enumerated() {
            let x = left + Double(i) * cellWidth + cellWidth / 2
            let bold = c == highlightColumn
            let wrapped = SVGKit.wrap(d.columns[c].name, width: cellWidth - 8, size: headerSize, bold: bold)
            let y0 = top - 8 - Double(wrapped.lines.count - 1) * headerSize * 1.2 - 2
            body += "<text x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y0))\" font-size=\"\(SVGKit.n(headerSize))\" fill=\"\(ChartFrame.fg)\" text-anchor=\"middle\"\(bold ? " font-weight=\"700\"" : "")>"
            for (k, line) in wrapped.lines.enumerated() {
                body += "<tspan x=\"\(SVGKit.n(x))\"\(k > 0 ? " dy=\"\(SVGKit.n(headerSize * 1.2))\"" : "")>\(HTML.escape(line))</tspan>"
            }
            body += "</text>\n"
        }
        body += "</g>\n<g class=\"dsr-cells\">\n"
        for (r, row) in figure.rows.enumerated() {
            let cells = d.rows[row]
            var y = rowTops[r]
            if stacked {
                // First baseline 18 below the row's top; the lines as `rowLabel` centres them.
                let lines = Double(rowLabelLines[r].count)
                body += frame.rowLabel(cells[d.keyColumn].raw, x: left, centerY: y + 18 - 13 * 0.35 + (lines - 1) * 13 * 1.2 / 2,
                                       width: figure.width - 16, bold: true, anchor: "start")
                y += stackedLabelHeight(lines)
            } else {
                body += frame.rowLabel(cells[d.keyColumn].raw, x: left - 12, centerY: y + cellHeight / 2, width: labelWidth)
            }
            let rowHeight = cellHeight
            for (i, c) in columns.enumerated() {
                let x = left + Double(i) * cellWidth
                let cell = cells[c]
                let label = "\(cells[d.keyColumn].raw), \(d.columns[c].name): "
                let rect = "x=\"\(SVGKit.n(x + gap / 2))\" y=\"\(SVGKit.n(y + gap / 2))\" width=\"\(SVGKit.n(cellWidth - gap))\" height=\"\(SVGKit.n(rowHeight - gap))\""
                if case .level(let level, let name) = cell.value {
                    let swatch = ChartPalette.ordinal(level, of: levels.count)
                    body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape(label + name))\">"
                    body += "<rect class=\"cell\" \(rect) fill=\"\(swatch.fill)\" stroke=\"\(ChartFrame.stroke)\" stroke-width=\"1\"/>"
                    // Shrink to 11 px before cutting the label short.
                    let size = [13.0, 12, 11].first { SVGKit.textWidth(name, size: $0) <= cellWidth - 10 } ?? 11
                    let shown = SVGKit.truncate(name, width: cellWidth - 10, size: size).text
                    body += SVGKit.text(shown, x: x + cellWidth / 2, y: y + rowHeight / 2 + size * 0.35, anchor: "middle", size: size,
                                        fill: swatch.label, cls: "on-fill")
                    body += "</g>\n"
                } else {
                    body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape(label + TableRenderer.missingText))\">"
                    body += "<rect class=\"cell missing\" \(rect) fill=\"url(#\(figure.svgID)-hatch)\" stroke=\"\(ChartFrame.stroke)\" stroke-width=\"1\"/>"
                    body += SVGKit.text("–", x: x + cellWidth / 2, y: y + rowHeight / 2 + 13 * 0.35, anchor: "middle", fill: ChartFrame.fg, cls: "on-fill")
                    body += "</g>\n"
                }
            }
        }
        if let hc = highlightColumn, let i = columns.firstIndex(of: hc) {
            let x = left + Double(i) * cellWidth
            // One outline down the column; stacked, one around each of its cells.
            let spans = stacked ? rowTops.indices.map { r in (rowTops[r] + stackedLabelHeight(Double(rowLabelLines[r].count)), cellHeight) }
                : [(top, cellsBottom - top)]
            for (y, height) in spans {
                body += "<rect class=\"dsr-outline\" x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y))\" width=\"\(SVGKit.n(cellWidth))\" height=\"\(SVGKit.n(height))\" fill=\"none\" stroke=\"\(ChartFrame.fg)\" stroke-width=\"2\"/>\n"
            }
        }
        body += "</g>\n"

        // Legend: levels low → high, then "not stated" after a gap.
        let legendY = cellsBottom + 24
        var legend = "<g class=\"dsr-legend\">\n"
        var x = left
        var y = legendY
        for (i, level) in levels.enumerated() {
            let w = 16 + 6 + SVGKit.textWidth(level.name, size: 13) + 18
            if x + w > figure.width - right { x = left; y += 24 }
            let swatch = ChartPalette.ordinal(i, of: levels.count)
            legend += "<rect x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y - 12))\" width=\"16\" height=\"16\" fill=\"\(swatch.fill)\" stroke=\"\(ChartFrame.stroke)\"/>"
            legend += SVGKit.text(level.name, x: x + 22, y: y + 1, size: 13) + "\n"
            x += w
        }
        if d.missingCount > 0 && figure.rows.contains(where: { r in columns.contains { d.rows[r][$0].value.isMissing } }) {
            x += 12
            legend += "<rect x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(y - 12))\" width=\"16\" height=\"16\" fill=\"url(#\(figure.svgID)-hatch)\" stroke=\"\(ChartFrame.stroke)\"/>"
            legend += SVGKit.text("Not stated", x: x + 22, y: y + 1, size: 13) + "\n"
        }
        legend += "</g>\n"
        let height = y + 16
        return frame.wrap(height: height, summary: summary(columns: columns, levels: levels), body: body + legend)
    }

    /// The height a row's label takes above its cells in the stacked (phone) layout.
    private func stackedLabelHeight(_ lines: Double) -> Double { 6 + lines * 13 * 1.2 + 8 }

    /// "Heatmap of … N rows × M columns. Highest … Lowest … Highlight … K not stated."
    func summary(columns: [Int], levels: [Scale.Level]) -> String {
        let d = figure.dataset
        let rowsNoun = d.columns[d.keyColumn].name.lowercased()
        var parts = ["Heatmap of \(figure.spec.title ?? d.title), \(figure.rows.count) \(rowsNoun) rows by \(columns.count) columns, on a scale from \(levels.first?.name ?? "") to \(levels.last?.name ?? "")."]
        var cells: [(row: String, column: String, level: Int)] = []
        var missing = 0
        for r in figure.rows {
            for c in columns {
                if case .level(let l, _) = d.rows[r][c].value { cells.append((d.rows[r][d.keyColumn].raw, d.columns[c].name, l)) } else { missing += 1 }
            }
        }
        if let top = cells.map(\.level).max() {
            let names = cells.filter { $0.level == top }.map { "\($0.column) in \($0.row)" }
            parts.append("Highest (\(levels[top].name)): \(names.joined(separator: "; ")).")
        }
        if let bottom = cells.map(\.level).min() {
            let names = cells.filter { $0.level == bottom }.map { "\($0.column) in \($0.row)" }
            parts.append("Lowest (\(levels[bottom].name)): \(names.joined(separator: "; ")).")
        }
        if let h = figure.spec.highlight, let hc = d.columnIndex(h) {
            var behind = 0
            for r in figure.rows {
                guard let own = d.rows[r][hc].value.number else { continue }
                if columns.contains(where: { c in c != hc && (d.rows[r][c].value.number ?? -1) > own }) { behind += 1 }
            }
            parts.append("\(h) is highlighted; it trails another column in \(behind) of \(figure.rows.count) rows.")
        }
        if missing > 0 { parts.append("\(missing) value\(missing == 1 ? " is" : "s are") not stated.") }
        return parts.joined(separator: " ")
    }
}
