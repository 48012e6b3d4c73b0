import DossierCore

/// An RFC 4180 reader: quoted fields with embedded commas, quotes (`""`) and newlines,
/// CRLF or LF line ends, a leading UTF-8 BOM. Every field knows its line and column.
public enum CSVParser {
    public struct Field: Sendable, Hashable {
        public var text: String
        public var line: Int
        public var column: Int
    }

    /// The records of `text`; blank lines are skipped.
    public static func parse(_ text: String, path: String) throws(DiagnosticError) -> [[Field]] {
        var records: [[Field]] = []
        var record: [Field] = []
        var field = ""
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        var line = 1, column = 1
        var fieldLine = 1, fieldColumn = 1
        var quoted = false
        var afterQuote = false
        var recordHasContent = false

        func endField() {
            record.append(Field(text: field, line: fieldLine, column: fieldColumn))
            field = ""
            quoted = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            if recordHasContent || record.count > 1 { records.append(record) }
            record = []
            recordHasContent = false
        }

        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        field.append("\""); i += 2; column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                    i += 1; column += 1
                    continue
                }
                field.append(c)
                if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
                continue
            }
            switch c {
            case ",":
                endField()
                i += 1; column += 1
                fieldLine = line; fieldColumn = column
                recordHasContent = true
            case "\n", "\r\n", "\r":
                endRecord()
                i += 1; line += 1; column = 1
                fieldLine = line; fieldColumn = column
            case "\"":
                if field.isEmpty && !afterQuote {
                    quoted = true
                    recordHasContent = true
                    i += 1; column += 1
                } else {
                    throw DiagnosticError(.error("a quote inside an unquoted field: put the whole field in quotes and double the inner quote (\"\")",
                                                 at: SourceLocation(path: path, line: line, column: column)))
                }
            default:
                if afterQuote {
                    if c == " " || c == "\t" { i += 1; column += 1; continue }
                    throw DiagnosticError(.error("text after a closing quote: expected ',' or the end of the line",
                                                 at: SourceLocation(path: path, line: line, column: column)))
                }
                field.append(c)
                if !c.isWhitespace { recordHasContent = true }
                i += 1; column += 1
            }
        }
        if quoted {
            throw DiagnosticError(.error("a quoted field is never closed", at: SourceLocation(path: path, line: fieldLine, column: fieldColumn)))
        }
        if !field.isEmpty || !record.isEmpty || recordHasContent { endRecord() }
        return records
    }
}
