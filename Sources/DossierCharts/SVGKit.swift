import DossierCore
import Foundation

/// Small, deterministic helpers for writing SVG by hand: coordinates, text measurement
/// without font metrics, truncation and wrapping, and nice axis ticks.
public enum SVGKit {
    /// A coordinate rounded to 2 decimals, no `-0`, no exponent.
    public static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 100).rounded() / 100
        return Value.format(r == 0 ? 0 : r)
    }

    /// Estimated rendered width in px (CHARTS.md §5: Helvetica-class widths in em, ×1.1
    /// safety margin, ×1.2 for bold).
    public static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for ch in text {
            em += charWidth(ch)
        }
        return em * size * (bold ? 1.2 : 1.1)
    }

    static func charWidth(_ ch: Character) -> Double {
        if " ijlI.,:;'!|ft".contains(ch) { return 0.28 }
        if "r-()".contains(ch) { return 0.33 }
        if "mwM".contains(ch) { return 0.83 }
        if "W%…".contains(ch) { return 1.0 }
        if let scalar = ch.unicodeScalars.first, isWide(scalar) { return 1.0 }
        if ch.isLowercase || ch.isNumber || ch == "$" { return 0.56 }
        if ch.isUppercase { return 0.70 }
        return 0.6
    }

    /// East Asian wide and fullwidth ranges (Hangul, CJK, kana, fullwidth forms).
    static func isWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA960...0xA97F,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return true
        default: return false
        }
    }

    /// Cuts `text` at a Character boundary so it fits `width`, adding "…".
    public static func truncate(_ text: String, width: Double, size: Double, bold: Bool = false) -> (text: String, cut: Bool) {
        if textWidth(text, size: size, bold: bold) <= width { return (text, false) }
        var out = ""
        for ch in text {
            if textWidth(out + String(ch) + "…", size: size, bold: bold) > width { break }
            out.append(ch)
        }
        return (out.trimmingCharacters(in: .whitespaces) + "…", true)
    }

    /// Greedy word wrap to at most `lines` lines; the last line is truncated if needed.
    public static func wrap(_ text: String, width: Double, size: Double, lines maxLines: Int = 2, bold: Bool = false) -> (lines: [String], cut: Bool) {
        var lines: [String] = []
        var current = ""
        var words = text.split(separator: " ").map(String.init)[...]
        while let word = words.first {
            let candidate = current.isEmpty ? word : current + " " + word
            if textWidth(candidate, size: size, bold: bold) <= width || current.isEmpty {
                current = candidate
                words = words.dropFirst()
                if lines.count == maxLines - 1 && !words.isEmpty && textWidth(current, size: size, bold: bold) > width { break }
            } else {
                lines.append(current)
                current = ""
                if lines.count == maxLines { break }
            }
        }
        var cut = false
        if !current.isEmpty {
            let rest = ([current] + words).joined(separator: " ")
            let t = truncate(lines.count == maxLines - 1 ? rest : current, width: width, size: size, bold: bold)
            lines.append(t.text)
            cut = t.cut
        } else if !words.isEmpty {
            cut = true
        }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            cut = true
        }
        return (lines, cut)
    }

    /// Heckbert's nice numbers: ticks covering `lo…hi` with about `count` steps.
    public static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        var lo = lo, hi = hi
        if lo == hi { hi = lo + 1; if lo > 0 { lo = 0 } }
        func nice(_ x: Double, round: Bool) -> Double {
            let e = floor(log10(x))
            let f = x / pow(10, e)
            let nf: Double = round ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) : (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10)
            return nf * pow(10, e)
        }
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite, hi > lo else { return lo.isFinite && hi.isFinite ? [min(lo, hi), max(lo, hi)] : [0, 1] }
        let range = nice(hi - lo, round: false)
        let step = nice(range / Double(max(count - 1, 1)), round: true)
        let a = floor(lo / step) * step, b = ceil(hi / step) * step
        let stepsValue = ((b - a) / step).rounded()
        // Spans near the limits of a double (or below its precision) have no nice ticks.
        guard step.isFinite, step > 0, a.isFinite, b.isFinite, stepsValue.isFinite, stepsValue >= 1, stepsValue <= 100 else { return [lo, hi] }
        let decimals = min(15, max(0, -Int(floor(log10(step)))))
        let scale = pow(10, Double(decimals))
        return (0...Int(stepsValue)).map { i in
            let t = a + Double(i) * step
            let rounded = (t * scale).rounded() / scale
            return rounded.isFinite ? rounded : t
        }
    }

    /// Tick and value labels with one unit scale per axis ("$150bn", "12,500").
    public static func formatValue(_ v: Double, unit: String?, reference: Double) -> String {
        let magnitude = abs(reference)
        var scaled = v, suffix = ""
        var unit = unit
        // "USD billions" / "USD bn": values are already in billions.
        if let u = unit?.lowercased(), u.hasSuffix(" billions") || u.hasSuffix(" bn") || u.hasSuffix(" billion") {
            unit = String(unit!.split(separator: " ").first!)
            let number = NumberText.grouped(v, decimals: v == v.rounded() ? 0 : 1)
            return formatValue(0, unit: unit, reference: 0).replacingOccurrences(of: "0", with: number) + "bn"
        }
        if magnitude >= 1e9 { scaled = v / 1e9; suffix = "bn" } else if magnitude >= 1e6 { scaled = v / 1e6; suffix = "m" }
        let decimals = scaled == scaled.rounded() ? 0 : (abs(scaled) < 10 ? 1 : 0)
        let number = NumberText.grouped(scaled, decimals: decimals)
        switch unit {
        case "USD", "$", "US$": return "$" + number + suffix
        case "%", "percent": return number + suffix + "%"
        case nil, "": return number + suffix
        case let u?: return number + suffix + (u.count <= 3 ? u : "")
        }
    }

    /// A `<text>` element; content is escaped.
    public static func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 13, weight: String? = nil,
                            fill: String = "#1a1a1a", cls: String? = nil, extra: String = "") -> String {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let cls { attributes += " class=\"\(cls)\"" }
        return "<text \(attributes)\(extra)>\(HTML.escape(s))</text>"
    }

    /// The hatch pattern that marks missing values (OWID-style, −45°).
    public static func hatchPattern(id: String) -> String {
        "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#767676\" stroke-width=\"2\"/></pattern>"
    }
}
