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
