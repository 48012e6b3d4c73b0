import Foundation

/// Colours from CHARTS.md: viridis steps for ordinal levels (darker = higher) with the
/// label colour that reaches 4.5:1 on each, and Okabe–Ito for series. The same fills
/// serve light, dark and print, so label colours chosen at build time stay valid.
public enum ChartPalette {
    public struct Swatch: Sendable, Hashable {
        public var fill: String
        public var label: String
    }

    private static let ordinalSteps: [Int: [Swatch]] = [
        2: [Swatch(fill: "#FDE725", label: "#000000"), Swatch(fill: "#440154", label: "#FFFFFF")],
        3: [Swatch(fill: "#FDE725", label: "#000000"), Swatch(fill: "#21918C", label: "#000000"), Swatch(fill: "#440154", label: "#FFFFFF")],
        4: [Swatch(fill: "#FDE725", label: "#000000"), Swatch(fill: "#35B779", label: "#000000"),
            Swatch(fill: "#31688E", label: "#FFFFFF"), Swatch(fill: "#440154", label: "#FFFFFF")],
        5: [Swatch(fill: "#FDE725", label: "#000000"), Swatch(fill: "#5CC863", label: "#000000"), Swatch(fill: "#21918C", label: "#000000"),
            Swatch(fill: "#3B528B", label: "#FFFFFF"), Swatch(fill: "#440154", label: "#FFFFFF")],
    ]

    /// The swatch for level `index` of a scale with `count` levels (scales longer than
    /// five reuse the five-step ramp proportionally).
    public static func ordinal(_ index: Int, of count: Int) -> Swatch {
        let n = min(max(count, 2), 5)
        let steps = ordinalSteps[n]!
        let scaled = count <= 5 ? index : Int((Double(index) / Double(max(count - 1, 1)) * 4).rounded())
        return steps[min(max(scaled, 0), steps.count - 1)]
    }

    /// Series colours in order; each reaches 3:1 on white and on #121212.
    public static let series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
    /// Series that are not highlighted.
    public static let muted = "#8C8C8C"
    /// Marker shapes per series, so colour is never the only cue.
    public static let shapes = ["circle", "diamond", "square", "triangle"]

    /// WCAG relative luminance of `#RRGGBB`.
    public static func luminance(_ hex: String) -> Double {
        let digits = Array(hex.dropFirst())
        func channel(_ i: Int) -> Double {
            let v = Double(Int(String(digits[i..<i + 2]), radix: 16) ?? 0) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    public static func contrast(_ a: String, _ b: String) -> Double {
        let x = luminance(a), y = luminance(b)
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}

