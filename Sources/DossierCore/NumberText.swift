import Foundation

/// Locale-independent number formatting, so output is the same on every machine.
public enum NumberText {
    /// `12500` → `12,500`; `1234.5` with 2 decimals → `1,234.50`. Never `-0`.
    public static func grouped(_ n: Double, decimals: Int = 0, separator: String = ",") -> String {
        guard n.isFinite else { return "–" }
        let places = max(0, min(decimals, 12))
        let scale = pow(10.0, Double(places))
        var rounded = (abs(n) * scale).rounded() / scale
        if rounded == 0 { rounded = 0 }
        let negative = n < 0 && rounded != 0
        let fixed = String(format: "%.\(places)f", locale: Locale(identifier: "en_US_POSIX"), rounded)
        let parts = fixed.split(separator: ".", maxSplits: 1)
        let integer = Array(parts[0])
        var out = ""
        for (i, ch) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { out += separator }
            out.append(ch)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return (negative ? "-" : "") + out
    }

    /// The shortest plain rendering: no exponent, no trailing zeros (`2.5`, `150`).
    public static func plain(_ n: Double) -> String { Value.format(n) }
}
