import DossierCore
import DossierData

/// A horizontal value axis: numeric with nice ticks, or an ordinal scale's levels.
struct AxisScale {
    var lo: Double
    var hi: Double
    var ticks: [(value: Double, label: String)]
    var x0: Double
    var x1: Double

    func x(_ v: Double) -> Double { x0 + (v - lo) / (hi - lo == 0 ? 1 : hi - lo) * (x1 - x0) }

    /// An axis for `values`; `ordinal` levels give one tick per level.
    static func make(values: [Double], ordinal: Scale?, unit: String?, includeZero: Bool, x0: Double, x1: Double) -> AxisScale {
        if let scale = ordinal {
            let ticks = scale.levels.enumerated().map { (Double($0.offset), $0.element.name) }
            return AxisScale(lo: -0.25, hi: Double(scale.levels.count - 1) + 0.25, ticks: ticks, x0: x0, x1: x1)
        }
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if includeZero { lo = min(0, lo); hi = max(0, hi) }
        let t = SVGKit.ticks(lo, hi)
        let reference = t.map(abs).max() ?? 1
        return AxisScale(lo: t.first ?? lo, hi: t.last ?? hi, ticks: t.map { ($0, SVGKit.formatValue($0, unit: unit, reference: reference)) }, x0: x0, x1: x1)
    }

    /// Tick labels as placed: centred on their tick, kept inside the plot.
    private var placed: [(label: String, x: Double, width: Double)] {
        ticks.map { tick in
            let w = SVGKit.textWidth(tick.label, size: 12)
            return (tick.label, min(max(x(tick.value), x0 + w / 2), x1 + 8 - w / 2), w)
        }
    }

    /// How many lines the labels need so that no two on the same line touch: label i goes
    /// on line i mod n.
    var labelLines: Int {
        let p = placed
        for n in 1...max(1, p.count) {
            let clear = p.indices.allSatisfy { i in
                i + n >= p.count || p[i].x + p[i].width / 2 + 4 <= p[i + n].x - p[i + n].width / 2
            }
            if clear { return n }
        }
        return max(1, p.count)
    }

    /// How far below the plot the labels reach.
    var labelDepth: Double { 28 + Double(labelLines - 1) * 14 }

    /// Grid lines and labels under the plot.
    func draw(top: Double, bottom: Double) -> String {
        var out = "<g class=\"dsr-axis\">\n"
        let placed = self.placed
        let lines = labelLines
        for (i, tick) in ticks.enumerated() {
            let x = self.x(tick.value)
            out += "<line x1=\"\(SVGKit.n(x))\" y1=\"\(SVGKit.n(top))\" x2=\"\(SVGKit.n(x))\" y2=\"\(SVGKit.n(bottom))\" stroke=\"#d5d9dd\" stroke-width=\"1\"/>"
            let y = bottom + 16 + Double(i % lines) * 14
            out += SVGKit.text(placed[i].label, x: placed[i].x, y: y, anchor: "middle", size: 12, fill: ChartFrame.muted) + "\n"
        }
        return out + "</g>\n"
    }
}
