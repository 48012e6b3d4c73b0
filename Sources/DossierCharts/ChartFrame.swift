import DossierCore
import DossierData

/// The outer `<svg>` every chart shares: viewBox sizing, `role="img"` with `<title>` and
/// `<desc>`, the hatch pattern, and scoped styles that follow the page's colour tokens.
struct ChartFrame {
    static let fg = "#1a1a1a"
    static let muted = "#595959"
    static let stroke = "#767676"

    let figure: Figure

    func wrap(height: Double, summary: String, body: String) -> String {
        let id = figure.svgID
        let title = figure.spec.title ?? figure.dataset.title
        var out = "<svg class=\"dsr dsr-\(figure.spec.kind.rawValue)\(figure.variant.map { " dsr-" + $0.rawValue } ?? "")\" viewBox=\"0 0 \(SVGKit.n(figure.width)) \(SVGKit.n(height))\""
        out += " width=\"\(SVGKit.n(figure.width))\" height=\"\(SVGKit.n(height))\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\""
        out += " xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, 'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', NanumGothic, 'Noto Sans CJK KR', sans-serif\">\n"
        out += "<title id=\"\(id)-t\">\(HTML.escape(title))</title>\n"
        out += "<desc id=\"\(id)-d\">\(HTML.escape(summary))</desc>\n"
        out += "<defs>\(SVGKit.hatchPattern(id: id + "-hatch"))</defs>\n"
        out += body
        out += "</svg>"
        return out
    }

    /// Row label lines, wrapped to two lines within `width`; the full text goes in a
    /// `<title>` child when it had to be cut.
    func rowLabel(_ text: String, x: Double, centerY: Double, width: Double, size: Double = 13, bold: Bool = false, anchor: String = "end") -> String {
        let wrapped = SVGKit.wrap(text, width: width, size: size, lines: 2, bold: bold)
        let lineHeight = size * 1.2
        let firstY = centerY - Double(wrapped.lines.count - 1) * lineHeight / 2 + size * 0.35
        var out = "<text x=\"\(SVGKit.n(x))\" y=\"\(SVGKit.n(firstY))\" font-size=\"\(SVGKit.n(size))\" fill=\"\(Self.fg)\" text-anchor=\"\(anchor)\""
        if bold { out += " font-weight=\"700\"" }
        out += ">"
        if wrapped.cut { out += "<title>\(HTML.escape(text))</title>" }
        for (i, line) in wrapped.lines.enumerated() {
            out += "<tspan x=\"\(SVGKit.n(x))\"\(i > 0 ? " dy=\"\(SVGKit.n(lineHeight))\"" : "")>\(HTML.escape(line))</tspan>"
        }
        return out + "</text>\n"
    }

    /// Width for the row-label column: the widest label, within limits.
    func labelColumnWidth(_ labels: [String], size: Double = 13, bold: Set<String> = []) -> Double {
        let limit = min(200, figure.width * 0.3)
        let widest = labels.map { label in
            SVGKit.wrap(label, width: limit, size: size, bold: bold.contains(label)).lines
                .map { SVGKit.textWidth($0, size: size, bold: bold.contains(label)) }.max() ?? 0
        }.max() ?? 60
        return min(max(widest, 40), limit)
    }

    var rowLabels: [String] { figure.rows.map { figure.dataset.rows[$0][figure.dataset.keyColumn].raw } }

    func readable(_ v: Double, column: Int) -> String {
        SVGKit.formatValue(v, unit: figure.unit(of: column), reference: v)
    }
}
