import DossierCore
import DossierData

/// The gap between two columns per row — the "divide" itself: ● for `from`, ◆ for `to`
/// (or each row's leader), a neutral connector, and a legend of the shapes. Narrow (on
/// phones), each row's label and leader sit on a line above its dumbbell, so the plot
/// takes the whole width and the axis labels fit on one line.
struct DumbbellChart {
    let figure: Figure

    func svg() -> String {
        let frame = ChartFrame(figure: figure)
        let d = figure.dataset
        let from = d.columnIndex(figure.spec.from ?? "")!
        let toIsMax = figure.spec.to == .rowLeader
        let toName = figure.spec.to?.column ?? figure.text("leader")
        let ordinal = figure.scale(of: from)
        let narrow = figure.variant == .narrow
        let labelWidth = narrow ? 0 : frame.labelColumnWidth(frame.rowLabels)
        let left = narrow ? 28.0 : 8 + labelWidth + 16
        let rightLabelWidth = narrow ? 18.0 : toIsMax ? min(170.0, figure.width * 0.26) : 16.0
        let legendText = toIsMax ? figure.text(narrow ? "leader_legend_narrow" : "leader_legend") : toName
        let legendWraps = left + 20 + SVGKit.textWidth(d.columns[from].name, size: 13) + 50 + SVGKit.textWidth(legendText, size: 13) > figure.width
        let top = legendWraps ? 64.0 : 40.0
        // Narrow: a line for the row's label (and, below it when they do not fit beside
        // each other, its leader), then the dumbbell.
        let leaderLines = narrow && toIsMax ? figure.rows.map { r -> Int in
            let e = figure.endpoints(row: r)
            guard let b = e.to else { return 0 }
            let label = SVGKit.wrap(d.rows[r][d.keyColumn].raw, width: figure.width - 16, size: 13, lines: 1).lines.first ?? ""
            return SVGKit.textWidth(label, size: 13) + 12 + SVGKit.textWidth(leaderNames(row: r, value: b, from: from), size: 12) <= figure.width - 16 ? 0 : 1
        } : figure.rows.map { _ in 0 }
        let rowHeight = narrow ? 48.0 : 44.0
        let rowTops = figure.rows.indices.reduce(into: [Double]()) { tops, i in
            tops.append(i == 0 ? top : tops[i - 1] + rowHeight + Double(leaderLines[i - 1]) * 16)
        }
        var values: [Double] = []
        for r in figure.rows {
            let e = figure.endpoints(row: r)
            values += [e.from, e.to].compactMap { $0 }
        }
        let axis = AxisScale.make(values: values, ordinal: ordinal, unit: figure.unit(of: from), includeZero: false,
                                  x0: left + 12, x1: figure.width - rightLabelWidth - 12)
        let bottom = (rowTops.last ?? top) + (figure.rows.isEmpty ? 0 : rowHeight + Double(leaderLines.last!) * 16)
        var body = legend(from: d.columns[from].name, to: legendText, x: legendWraps ? 8 : left, wrap: legendWraps)
        body += axis.draw(top: top - 6, bottom: bottom)
        var missing = 0
        for (i, r) in figure.rows.enumerated() {
            let label = d.rows[r][d.keyColumn].raw
            let cy = narrow ? rowTops[i] + 18 + Double(leaderLines[i]) * 16 + 16 : rowTops[i] + rowHeight / 2
            if narrow {
                // One line, the full width; a label longer than that ends in "…", whole in its <title>.
                let bold = label == figure.spec.highlight
                let line = SVGKit.wrap(label, width: figure.width - 16, size: 13, lines: 1, bold: bold)
                var text = SVGKit.text(line.lines.first ?? "", x: 8, y: rowTops[i] + 14, size: 13, weight: bold ? "700" : nil, fill: ChartFrame.fg)
                if line.cut, let open = text.firstIndex(of: ">") { text.insert(contentsOf: "<title>\(HTML.escape(label))</title>", at: text.index(after: open)) }
                body += text + "\n"
            } else {
                body += frame.rowLabel(label, x: left - 16, centerY: cy, width: labelWidth, bold: label == figure.spec.highlight)
            }
            let e = figure.endpoints(row: r)
            guard let a = e.from, let b = e.to else {
                missing += 1
                body += "<rect x=\"\(SVGKit.n(axis.x0))\" y=\"\(SVGKit.n(cy - 8))\" width=\"\(SVGKit.n(axis.x1 - axis.x0))\" height=\"16\" fill=\"url(#\(figure.svgID)-hatch)\" opacity=\"0.6\"/>"
                body += SVGKit.text(figure.text("not_stated"), x: (axis.x0 + axis.x1) / 2, y: cy + 4, anchor: "middle", size: 12, fill: ChartFrame.fg) + "\n"
                continue
            }
            let xa = axis.x(a), xb = axis.x(b)
            let fromText = valueText(a, column: from, ordinal: ordinal)
            let toText = valueText(b, column: e.toColumn ?? from, ordinal: ordinal)
            let leaders = toIsMax ? leaderNames(row: r, value: b, from: from) : toName
            body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape("\(label): \(d.columns[from].name) \(fromText), \(leaders) \(toText)"))\">"
            body += "<line x1=\"\(SVGKit.n(xa))\" y1=\"\(SVGKit.n(cy))\" x2=\"\(SVGKit.n(xb))\" y2=\"\(SVGKit.n(cy))\" stroke=\"#8C8C8C\" stroke-width=\"4\"/>"
            body += "<circle cx=\"\(SVGKit.n(xa))\" cy=\"\(SVGKit.n(cy))\" r=\"7\" fill=\"#0072B2\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>"
            body += "<path d=\"M\(SVGKit.n(xb)) \(SVGKit.n(cy - 9))L\(SVGKit.n(xb + 9)) \(SVGKit.n(cy))L\(SVGKit.n(xb)) \(SVGKit.n(cy + 9))L\(SVGKit.n(xb - 9)) \(SVGKit.n(cy))Z\" fill=\"#D55E00\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>"
            if ordinal == nil {
                body += SVGKit.text(fromText, x: xa + (xa <= xb ? -12 : 12), y: cy + 4, anchor: xa <= xb ? "end" : "start", size: 12)
                body += SVGKit.text(toText, x: xb + (xa <= xb ? 14 : -14), y: cy + 4, anchor: xa <= xb ? "start" : "end", size: 12)
            }
            if toIsMax && narrow {
                let below = leaderLines[i] == 1
                body += SVGKit.text(leaders, x: below ? 8 : figure.width - 8, y: rowTops[i] + 14 + (below ? 16 : 0), anchor: below ? "start" : "end",
                                    size: 12, fill: ChartFrame.muted) + "\n"
            } else if toIsMax {
                body += frame.rowLabel(leaders, x: figure.width - rightLabelWidth + 4, centerY: cy, width: rightLabelWidth - 6, size: 12, anchor: "start")
            }
            body += "</g>\n"
        }
        return frame.wrap(height: bottom + axis.labelDepth, summary: summary(from: from, toName: toName, missing: missing, ordinal: ordinal), body: body)
    }

    private func valueText(_ v: Double, column: Int, ordinal: Scale?) -> String {
        if let ordinal, let i = Int(exactly: v), i < ordinal.levels.count { return ordinal.levels[i].name }
        return SVGKit.formatValue(v, unit: figure.unit(of: column), reference: v)
    }

    /// The columns sharing the row's top value (ties are named together).
    private func leaderNames(row: Int, value: Double, from: Int) -> String {
        let d = figure.dataset
        return figure.columns.filter { $0 != from && d.rows[row][$0].value.number == value }.map { d.columns[$0].name }.joined(separator: figure.text("tie"))
    }

    /// ● and ◆ with their meanings, on one line or, when that would overflow, two.
    private func legend(from: String, to: String, x: Double, wrap: Bool) -> String {
        var out = "<g class=\"dsr-legend\">"
        out += "<circle cx=\"\(SVGKit.n(x + 7))\" cy=\"14\" r=\"7\" fill=\"#0072B2\"/>" + SVGKit.text(from, x: x + 20, y: 18, size: 13)
        let x2 = wrap ? x + 8 : x + 20 + SVGKit.textWidth(from, size: 13) + 28
        let cy = wrap ? 38.0 : 14.0
        out += "<path d=\"M\(SVGKit.n(x2)) \(SVGKit.n(cy - 9))L\(SVGKit.n(x2 + 9)) \(SVGKit.n(cy))L\(SVGKit.n(x2)) \(SVGKit.n(cy + 9))L\(SVGKit.n(x2 - 9)) \(SVGKit.n(cy))Z\" fill=\"#D55E00\"/>"
        out += SVGKit.text(to, x: x2 + 14, y: cy + 4, size: 13)
        return out + "</g>\n"
    }

    private func summary(from: Int, toName: String, missing: Int, ordinal: Scale?) -> String {
        let d = figure.dataset, t = figure.text
        let fromName = d.columns[from].name
        let to = figure.spec.to?.column ?? t("dumbbell_leader")
        var parts = [t("dumbbell_summary", ["from": fromName, "to": to, "rows": String(figure.rows.count)])]
        let gaps = figure.rows.compactMap { r in figure.gap(row: r).map { (d.rows[r][d.keyColumn].raw, $0) } }
        if let widest = gaps.map(\.1).max(), widest > 0 {
            let rows = gaps.filter { $0.1 == widest }.map(\.0)
            let size = ordinal != nil ? t("levels", count: Int(widest), ["n": Value.format(widest)])
                : SVGKit.formatValue(widest, unit: figure.unit(of: from), reference: widest)
            parts.append(t("dumbbell_widest", ["size": size, "rows": rows.joined(separator: t("and"))]))
        }
        let behind = gaps.filter { $0.1 > 0 }.count
        parts.append(t("dumbbell_behind", ["from": fromName, "behind": String(behind), "rows": String(gaps.count)]))
        if missing > 0 { parts.append(t("rows_missing", count: missing)) }
        return parts.joined(separator: " ")
    }
}
