#if canImport(Glibc)
import Glibc
#endif

/// Line ends as the readers expect them. Files saved with carriage returns alone (classic
/// Mac OS, some exports from spreadsheets) would otherwise read as one long line.
public enum LineEnds {
    /// `text` with every CR that is not followed by LF turned into LF, and whether there
    /// was any. CRLF is left alone.
    public static func normalised(_ text: String) -> (text: String, hadLoneCR: Bool) {
        var scanned = text
        let hasCR = scanned.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, 0x0D, bytes.count) != nil } ?? false }
        guard hasCR else { return (text, false) }
        let bytes = text.utf8
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lone = false
        var previousCR = false
        for b in bytes {
            if previousCR && b != 0x0A { out[out.count - 1] = 0x0A; lone = true }
            out.append(b)
            previousCR = b == 0x0D
        }
        if previousCR { out[out.count - 1] = 0x0A; lone = true }
        return lone ? (String(decoding: out, as: UTF8.self), true) : (text, false)
    }

    /// The warning for a file that had them, at its first line.
    public static func warning(_ path: String) -> Diagnostic {
        .warning("this file ends its lines with carriage returns alone (classic Mac OS); they were read as line feeds — save it with LF line ends",
                 at: SourceLocation(path: path, line: 1))
    }
}
