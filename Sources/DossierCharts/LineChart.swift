import DossierCore
import DossierData

/// Time series: x from the `x` column (numbers or dates, e.g. years), one line per value
/// column, each with its own marker shape and a direct label at its last point. A missing
/// value breaks the line (a visible gap), never drops to zero.
struct LineChart {
    let figure: Figure

    func svg() -> String {
        let frame = ChartFrame(figure: figure)
        let d = figure.dataset
        let xColumn = figure.spec.x.flatMap { d.columnIndex($0) } ?? d.keyColumn
        let series = Array(figure.columns.filter { $0 != xColumn }.prefix(ChartPalette.series.count))
        func xValue(_ r: Int) -> Double? {
            let cell = d.rows[r][xColumn]
            switch cell.value {
            case .number(let n): return n
            case .date(let date): return date.timeIntervalSince1970
            default: return Double(cell.raw)
            }
        }
        let points = figure.rows.compactMap { r in xValue(r).map { (r, $0) } }.sorted { $0.1 < $1.1 }
        let ys = points.flatMap { p in series.compactMap { d.rows[p.0][$0].value.number } }
        let labelRoom = (series.map { SVGKit.textWidth(d.columns[$0].name, size: 12, bold: true) }.max() ?? 60) + 16
        let left = 64.0, top = 16.0, bottom = 300.0
        let right = figure.width - labelRoom
        let yTicks = SVGKit.ticks(min(0, ys.min() ?? 0), ys.max() ?? 1)
        let yLo = yTicks.first ?? 0, yHi = yTicks.last ?? 1
        let xLo = points.first?.1 ?? 0, xHi = points.last?.1 ?? 1
        func px(_ x: Double) -> Double { left + (x - xLo) / (xHi - xLo == 0 ? 1 : xHi - xLo) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - yLo) / (yHi - yLo == 0 ? 1 : yHi - yLo) * (bottom - top) }
        let unit = figure.unit(of: series.first ?? 0)
        var body = "<g class=\"dsr-axis\">\n"
        let reference = yTicks.map(abs).max() ?? 1
        for t in yTicks {
            body += "<line x1=\"\(SVGKit.n(left))\" y1=\"\(SVGKit.n(py(t)))\" x2=\"\(SVGKit.n(right))\" y2=\"\(SVGKit.n(py(t)))\" stroke=\"#d5d9dd\"/>"
            body += SVGKit.text(SVGKit.formatValue(t, unit: unit, reference: reference), x: left - 8, y: py(t) + 4, anchor: "end", size: 12, fill: ChartFrame.muted) + "\n"
        }
        let every = max(1, points.count / 8)
        for (i, p) in points.enumerated() where i % every == 0 || i == points.count - 1 {
            body += SVGKit.text(d.rows[p.0][xColumn].raw, x: px(p.1), y: bottom + 18, anchor: "middle", size: 12, fill: ChartFrame.muted) + "\n"
        }
        body += "</g>\n"
        var lastLabelY: [Double] = []
        for (s, c) in series.enumerated() {
            let colour = ChartPalette.series[s]
            let highlighted = d.columns[c].name == figure.spec.highlight
            var path = ""
            var penDown = false
            var markers = ""
            var last: (Double, Double)?
            for p in points {
                guard let v = d.rows[p.0][c].value.number else { penDown = false; continue }
                let x = px(p.1), y = py(v)
                path += (penDown ? "L" : "M") + "\(SVGKit.n(x)) \(SVGKit.n(y))"
                penDown = true
                markers += marker(s, x: x, y: y, colour: colour)
                last = (x, y)
            }
            body += "<g role=\"graphics-symbol\" aria-label=\"\(HTML.escape(d.columns[c].name))\">"
            body += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(highlighted ? 4 : 2)\"\(s == 1 ? " stroke-dasharray=\"6 3\"" : "")/>"
            body += markers
            if let last {
                var y = last.1 + 4
                while lastLabelY.contains(where: { abs($0 - y) < 14 }) { y += 14 }
                lastLabelY.append(y)
                body += SVGKit.text(d.columns[c].name, x: last.0 + 10, y: y, size: 12, weight: highlighted ? "700" : nil, fill: ChartFrame.fg)
            }
            body += "</g>\n"
        }
        return frame.wrap(height: bottom + 30, summary: summary(series, xColumn: xColumn, points: points.map(\.0)), body: body)
    }

    private func marker(_ s: Int, x: Double, y: Double, colour: String) -> String {
        switch ChartPalette.shapes[s % ChartPalette.shapes.count] {
        case "circle": return "<circle cx=\"\(SVGKit.n(x))\" cy=\"\(SVGKit.n(y))\" r=\"4\" fill=\"\(colour)\"/>"
        case "diamond": return "<path d=\"M\(SVGKit.n(x)) \(SVGKit.n(y - 5))L\(SVGKit.n(x + 5)) \(SVGKit.n(y))L\(SVGKit.n(x)) \(SVGKit.n(y + 5))L\(SVGKit.n(x - 5)) \(SVGKit.n(y))Z\" fill=\"\(colour)\"/>"
        case "square": return "<rect x=\"\(SVGKit.n(x - 4))\" y=\"\(SVGKit.n(y - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\"/>"
        default: return "<path d=\"M\(SVGKit.n(x)) \(SVGKit.n(y - 5))L\(SVGKit.n(x + 5)) \(SVGKit.n(y + 4))L\(SVGKit.n(x - 5)) \(SVGKit.n(y + 4))Z\" fill=\"\(colour)\"/>"
        }
    }

    private func summary(_ series: [Int], xColumn: Int, points: [Int]) -> String {
        let d = figure.dataset, t = figure.text
        var parts = [t("line_summary", ["title": figure.spec.title ?? d.title, "series": String(series.count), "points": String(points.count),
                                        "x": d.columns[xColumn].name])]
        for c in series {
            let values = points.compactMap { r in d.rows[r][c].value.number.map { (d.rows[r][xColumn].raw, $0) } }
            if let first = values.first, let last = values.last {
                let unit = figure.unit(of: c)
                parts.append(t("line_series", ["column": d.columns[c].name, "first": SVGKit.formatValue(first.1, unit: unit, reference: first.1), "first_x": first.0,
                                               "last": SVGKit.formatValue(last.1, unit: unit, reference: last.1), "last_x": last.0]))
            }
            let gaps = points.filter { d.rows[$0][c].value.isMissing }.count
            if gaps > 0 { parts.append(t("line_gaps", count: gaps, ["column": d.columns[c].name])) }
        }
        return parts.joined(separator: " ")
    }
}
