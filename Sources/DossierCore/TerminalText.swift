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

/// Trimming without Foundation's bridging, for the millions of cells of a large dataset.
public enum TextTrim {
    /// `text` without leading and trailing white space (as `.whitespaces`: spaces, tabs
    /// and Unicode space separators). Text that starts and ends with a visible ASCII
    /// character is returned as it is, without a copy.
    @inline(__always)
    public static func spaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return text }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || (s.value >= 0x80 && s.properties.generalCategory == .spaceSeparator)
    }
}
