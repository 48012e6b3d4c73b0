import DossierCore

/// Reads a `.bib` file as Zotero, JabRef and Google Scholar write it (BibTeX and biblatex):
/// `@type{key, field = {…} # "…" # macro, …}`, `@string`, `@comment`, `@preamble`; text
/// outside entries is a comment. Every problem is a located error; a bad entry is skipped
/// and reading goes on, so all of a file's errors come together.
public enum BibTeX {
    public static func parse(_ text: String, path: String) -> (references: [Reference], errors: [Diagnostic]) {
        var reader = Reader(bytes: Array(text.utf8), path: path, text: text)
        reader.run()
        return (reader.references, reader.errors)
    }

    /// A field's raw (LaTeX) value and where it starts.
    struct Field {
        var raw: String
        var location: SourceLocation
    }

    struct Reader {
        /// A value (after `@string` names and `#` are expanded) longer than this is an error.
        static let maxValueBytes = 1_000_000
        let bytes: [UInt8]
        let path: String
        let text: String
        var i = 0
        var line = 1
        var lineStart = 0
        var strings: [String: String] = [
            "jan": "1", "feb": "2", "mar": "3", "apr": "4", "may": "5", "jun": "6",
            "jul": "7", "aug": "8", "sep": "9", "oct": "10", "nov": "11", "dec": "12",
        ]
        var references: [Reference] = []
        var errors: [Diagnostic] = []
        var seen: [String: SourceLocation] = [:]

        init(bytes: [UInt8], path: String, text: String) {
            self.bytes = bytes
            self.path = path
            self.text = text
        }

        var here: SourceLocation { SourceLocation(path: path, line: line, column: i - lineStart + 1) }

        mutating func fail(_ message: String, at location: SourceLocation) {
            errors.append(Diagnostic.error(message, at: location).withSource(text))
        }

        mutating func advance() {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance() }
        }

        static func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
                || [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "/")].contains(b)
        }

        mutating func name() -> String {
            let start = i
            while i < bytes.count, Self.isNameByte(bytes[i]) { advance() }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        /// Skips to the next line that starts with `@` (after an error in an entry).
        mutating func recover() {
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "@"), i == lineStart { return }
                advance()
            }
        }

        mutating func run() {
            while i < bytes.count {
                guard bytes[i] == UInt8(ascii: "@") else { advance(); continue }
                let start = here
                advance()
                let type = name().lowercased()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "(") else {
                    if !type.isEmpty { fail("expected '{' after '@\(type)'", at: here) }
                    continue
                }
                let close = bytes[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ")")
                advance()
                switch type {
                case "comment", "preamble":
                    skipBalanced(close: close, start: start)
                case "string":
                    readString(close: close, start: start)
                default:
                    readEntry(type: type, close: close, start: start)
                }
            }
        }

        mutating func skipBalanced(close: UInt8, start: SourceLocation) {
            var depth = 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "(") && close == UInt8(ascii: ")") { depth += 1 }
                if bytes[i] == close || (bytes[i] == UInt8(ascii: "}") && close == UInt8(ascii: "}")) {
                    depth -= 1
                    if depth == 0 { advance(); return }
                }
                advance()
            }
            fail("this entry is not closed: a '\(Character(UnicodeScalar(close)))' is missing", at: start)
        }

        mutating func readString(close: UInt8, start: SourceLocation) {
            skipSpace()
            let at = here
            let macro = name().lowercased()
            skipSpace()
            guard !macro.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                fail("expected '@string{name = \"value\"}'", at: at)
                recover()
                return
            }
            advance()
            guard let value = value() else { recover(); return }
            strings[macro] = value
            skipSpace()
            if i < bytes.count, bytes[i] == close { advance() } else { fail("expected '\(Character(UnicodeScalar(close)))' to close '@string'", at: here); recover() }
        }

        mutating func readEntry(type: String, close: UInt8, start: SourceLocation) {
            skipSpace()
            let keyAt = here
            let keyStart = i
            while i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != close, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance() }
            let key = String(decoding: bytes[keyStart..<i], as: UTF8.self)
            guard !key.isEmpty, !key.contains("{"), !key.contains("}") else {
                fail(key.isEmpty ? "'@\(type)' entry has no key: write '@\(type){key,'" : "a key cannot hold braces: '\(key)'", at: keyAt)
                recover()
                return
            }
            skipSpace()
            var fields: [String: Field] = [:]
            while i < bytes.count {
                if bytes[i] == close { advance(); break }
                guard bytes[i] == UInt8(ascii: ",") else {
                    if bytes[i] == UInt8(ascii: "@"), i == lineStart {
                        fail("entry '\(key)' is not closed: a '\(Character(UnicodeScalar(close)))' is missing before the next entry", at: start)
                        return
                    }
                    fail("expected ',' or '\(Character(UnicodeScalar(close)))' in entry '\(key)'", at: here)
                    recover()
                    return
                }
                advance()
                skipSpace()
                if i < bytes.count, bytes[i] == close { advance(); break }
                let fieldAt = here
                let field = name().lowercased()
                skipSpace()
                guard !field.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                    fail("expected 'field = value' in entry '\(key)'", at: fieldAt)
                    recover()
                    return
                }
                advance()
                skipSpace()
                let valueAt = here
                guard let raw = value() else { recover(); return }
                if fields[field] != nil {
                    fail("'\(field)' is given twice in entry '\(key)'", at: fieldAt)
                }
                fields[field] = Field(raw: raw, location: valueAt)
                skipSpace()
                if i >= bytes.count { fail("entry '\(key)' is not closed: a '\(Character(UnicodeScalar(close)))' is missing", at: start); return }
            }
            if let first = seen[key] {
                errors.append(Diagnostic(.error, "the key '\(key)' is used twice", at: keyAt,
                                         notes: ["first used at \(first)"]).withSource(text))
                return
            }
            seen[key] = keyAt
            switch BibTeXFields.reference(type: type, key: key, fields: fields, at: start) {
            case .success(let reference): references.append(reference)
            case .failure(let problems): errors += problems.diagnostics.map { $0.withSource(text) }
            }
        }

        /// `{…}`, `"…"`, a number or a `@string` name, joined by `#`.
        mutating func value() -> String? {
            var out = ""
            while true {
                skipSpace()
                guard i < bytes.count else { fail("a value is missing at the end of the file", at: here); return nil }
                let at = here
                switch bytes[i] {
                case UInt8(ascii: "{"):
                    guard let s = delimited(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), at: at) else { return nil }
                    out += s
                case UInt8(ascii: "\""):
                    guard let s = delimited(open: UInt8(ascii: "\""), close: UInt8(ascii: "\""), at: at) else { return nil }
                    out += s
                case let b where Self.isNameByte(b):
                    let word = name()
                    if word.allSatisfy(\.isNumber) {
                        out += word
                    } else if let s = strings[word.lowercased()] {
                        out += s
                    } else {
                        let known = strings.keys.filter { $0.count > 3 }
                        fail("unknown @string '\(word)'\(SourceText.didYouMean(word, in: known)): define it with '@string{\(word) = {…}}', or put the value in braces",
                             at: at)
                        return nil
                    }
                default:
                    fail("expected a value: '{…}', \"…\", a number or an @string name", at: at)
                    return nil
                }
                if out.utf8.count > Self.maxValueBytes {
                    fail("this value is longer than \(Self.maxValueBytes / 1_000_000) MB (are @string values joined with # to each other many times?)", at: at)
                    return nil
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "#") else { return out }
                advance()
            }
        }

        /// The text between `open` and its `close`, braces balanced inside.
        mutating func delimited(open: UInt8, close: UInt8, at: SourceLocation) -> String? {
            advance()
            let start = i
            var depth = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\\"), i + 1 < bytes.count { advance(); advance(); continue }
                if b == UInt8(ascii: "{") {
                    depth += 1
                } else if b == UInt8(ascii: "}") {
                    if depth == 0 {
                        if close == UInt8(ascii: "}") {
                            let s = String(decoding: bytes[start..<i], as: UTF8.self)
                            advance()
                            return s
                        }
                        fail("a '}' closes a brace that was never opened", at: here)
                        return nil
                    }
                    depth -= 1
                } else if b == close, depth == 0 {
                    let s = String(decoding: bytes[start..<i], as: UTF8.self)
                    advance()
                    return s
                } else if b == UInt8(ascii: "@"), i == lineStart, depth > 0 || close == UInt8(ascii: "\"") {
                    // A new entry at the start of a line: this value was never closed.
                    break
                }
                advance()
            }
            fail("this value is not closed: a '\(Character(UnicodeScalar(close)))' is missing", at: at)
            return nil
        }
    }
}
