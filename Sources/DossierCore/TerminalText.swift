/// Text from content made safe to print on a terminal: a file name or title can hold
/// ESC sequences that would recolour, retitle or clear the user's terminal.
public enum TerminalText {
    /// `text` with every control character (C0 but tab, DEL, C1) and the bidirectional
    /// overrides shown as `\u{…}` escapes; ordinary text, Hangul or Arabic included, as is.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @inline(__always) static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v < 0x20 && v != 0x09) || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }
}
