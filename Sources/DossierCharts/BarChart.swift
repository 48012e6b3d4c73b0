import DossierCore
import DossierData

/// Horizontal bars from zero: one value per row (`bar`, the highlighted row in blue, the
/// rest grey) or one bar per column (`grouped-bar`, Okabe–Ito series with a legend).
/// Values are labelled directly; missing values are hatched stubs marked "not stated".
struct BarChart {
    let figure: Figure
    let grouped: Bool

    private var series: [Int] {
        if grouped { return Array(figure.columns.prefix(ChartPalette.series.count)) }
        if let v = figure.spec.value, let c = figure.dataset.columnIndex(v) { return [c] }
        return [figure.columns.first!]
    }

    func svg() -> String {
        let frame = ChartFrame(figure: figure)
        let d = figure.dataset
        let series = self.series
        let labelWidth = frame.labelColumnWidth(frame.rowLabels, bold: Set([figure.spec.highlight].compactMap { $0 }))
        let left = 8 + labelWidth + 16
        let barHeight = grouped ? 16.0 : 22.0
        let rowHeight = grouped ? Double(series.count) * (barHeight + 2) + 16 : 36
        let legendLines = grouped ? legendRows(series, x: left).count : 0
        let top = grouped ? 16.0 + Double(legendLines) * 24 : 12.0
        let values = figure.rows.flatMap { r in series.compactMap { d.rows[r][$0].value.number } }
        let valueLabelRoom = (values.map { SVGKit.textWidth(SVGKit.formatValue($0, unit: figure.unit(of: series[0]), reference: $0), size: 12) }.max() ?? 30) + 12
        let axis = AxisScale.make(values: values, ordinal: figure.scale(of: series[0]), unit: figure.unit(of: series[0]), includeZero: true,
                                  x0: left, x1: figure.width - valueLabelRoom - 8)
        let bottom = top + Double(figure.rows.count) * rowHeight
        var body = grouped ? legend(series, x: left) : ""
        body += axis.draw(top: top - 4, bottom: bottom)
        let zero = axis.x(max(axis.lo, min(0, axis.hi)))
        for (i, r) in figure.rows.enumerated() {
            let rowTop = top + Double(i) * rowHeight
            let label = d.rows[r][d.keyColumn].raw
            let highlighted = label == figure.spec.highlight
            body += frame.rowLabel(label, x: left - 16, centerY: rowTop + rowHeight / 2, width: labelWidth, bold: highlighted)
            for (s, c) in series.enumerated() {
                let y = rowTop + (grouped ? 8 + Double(s) * (barHeight + 2) : (rowHeight - barHeight) / 2)
                let name = "\(label), \(d.columns[c].name)"
                guard let v = d.rows[r][c].value.number else {
                    body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape(name)): \(HTML.escape(figure.text("not_stated")))\">"
                    body += "<rect x=\"\(SVGKit.n(zero))\" y=\"\(SVGKit.n(y))\" width=\"24\" height=\"\(SVGKit.n(barHeight))\" fill=\"url(#\(figure.svgID)-hatch)\" stroke=\"\(ChartFrame.stroke)\"/>"
                    body += SVGKit.text(figure.text("not_stated"), x: zero + 30, y: y + barHeight / 2 + 4, size: 12, fill: ChartFrame.fg) + "</g>\n"
                    continue
                }
                let x = axis.x(v)
                let fill = grouped ? ChartPalette.series[s] : (highlighted || figure.spec.highlight == nil ? ChartPalette.series[0] : ChartPalette.muted)
                let text = valueLabel(v, column: c)
                body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape("\(name): \(text)"))\">"
                body += "<rect x=\"\(SVGKit.n(min(x, zero)))\" y=\"\(SVGKit.n(y))\" width=\"\(SVGKit.n(max(abs(x - zero), 1)))\" height=\"\(SVGKit.n(barHeight))\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
                body += SVGKit.text(text, x: v >= 0 ? max(x, zero) + 6 : min(x, zero) - 6, y: y + barHeight / 2 + 4, anchor: v >= 0 ? "start" : "end",
                                    size: 12, weight: highlighted ? "700" : nil)
                body += "</g>\n"
            }
        }
        body += "<line x1=\"\(SVGKit.n(zero))\" y1=\"\(SVGKit.n(top - 4))\" x2=\"\(SVGKit.n(zero))\" y2=\"\(SVGKit.n(bottom))\" stroke=\"\(ChartFrame.fg)\" stroke-width=\"1\"/>\n"
        return frame.wrap(height: bottom + axis.labelDepth, summary: summary(series), body: body)
    }

    private func valueLabel(_ v: Double, column: Int) -> String {
        if let scale = figure.scale(of: column), let i = Int(exactly: v), i < scale.levels.count { return scale.levels[i].name }
        return SVGKit.formatValue(v, unit: figure.unit(of: column), reference: v)
    }

    /// Legend entries laid out in rows that fit the width: (series index, x) per row.
    private func legendRows(_ series: [Int], x: Double) -> [[(Int, Double)]] {
        var rows: [[(Int, Double)]] = [[]]
        var cx = x
        for s in series.indices {
            let w = 20 + SVGKit.textWidth(figure.dataset.columns[series[s]].name, size: 13) + 20
            if cx + w > figure.width && !rows[rows.count - 1].isEmpty { rows.append([]); cx = 8 }
            rows[rows.count - 1].append((s, cx))
            cx += w
        }
        return rows
    }

    private func legend(_ series: [Int], x: Double) -> String {
        var out = "<g class=\"dsr-legend\">"
        for (line, row) in legendRows(series, x: x).enumerated() {
            let y = 6 + Double(line) * 24
            for (s, cx) in row {
                out += "<rect x=\"\(SVGKit.n(cx))\" y=\"\(SVGKit.n(y))\" width=\"14\" height=\"14\" fill=\"\(ChartPalette.series[s])\"/>"
                out += SVGKit.text(figure.dataset.columns[series[s]].name, x: cx + 20, y: y + 12, size: 13)
            }
        }
        return out + "</g>\n"
    }

    private func summary(_ series: [Int]) -> String {
        let d = figure.dataset, t = figure.text
        var parts = [t(grouped ? "grouped_bar_summary" : "bar_summary", ["title": figure.spec.title ?? d.title, "rows": String(figure.rows.count),
                                                                         "series": String(series.count)])]
        for c in series {
            let values = figure.rows.compactMap { r in d.rows[r][c].value.number.map { (d.rows[r][d.keyColumn].raw, $0) } }
            if let top = values.max(by: { $0.1 < $1.1 }), let bottom = values.min(by: { $0.1 < $1.1 }) {
                parts.append(t("bar_series", ["column": d.columns[c].name, "top": top.0, "top_value": valueLabel(top.1, column: c),
                                              "bottom": bottom.0, "bottom_value": valueLabel(bottom.1, column: c)]))
            }
        }
        if let h = figure.spec.highlight { parts.append(t("highlighted", ["name": h])) }
        let missing = figure.rows.reduce(0) { n, r in n + series.filter { d.rows[r][$0].value.isMissing }.count }
        if missing > 0 { parts.append(t("values_missing", count: missing)) }
        return parts.joined(separator: " ")
    }
}
