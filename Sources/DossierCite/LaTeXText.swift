import Foundation

/// BibTeX field values are LaTeX: accents (`{\"o}`, `\'e`, `\c{c}`), special letters
/// (`\ss`, `\o`), escapes (`\&`), dashes, ties and case-protecting braces. This turns one
/// into the text a reader sees (NFC, so `\'e` is the one character é).
enum LaTeXText {
    /// `protect`: a brace group at the top level keeps its case (a title's `{AI}`), marked
    /// with `Reference.protectOpen`/`protectClose`.
    static func text(_ raw: String, protect: Bool = false) -> String {
        text(raw, protect: protect, depth: 0)
    }

    /// Commands inside commands deeper than this are left as their text: a hostile file's
    /// `\emph{\emph{…}}` nested thousands deep must not exhaust the stack.
    static let maxDepth = 64

    private static func text(_ raw: String, protect: Bool, depth nesting: Int) -> String {
        var out = ""
        var scalars = Array(raw.unicodeScalars)[...]
        var depth = 0
        var protectedDepths: [Int] = []
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            switch c {
            case "\\":
                out += nesting < maxDepth ? command(&scalars, depth: nesting) : ""
            case "{":
                depth += 1
                // `{\"o}` is a special character, not protection.
                if protect, depth == 1, scalars.first != "\\" {
                    out.append(Reference.protectOpen)
                    protectedDepths.append(depth)
                }
            case "}":
                if protectedDepths.last == depth {
                    protectedDepths.removeLast()
                    out.append(Reference.protectClose)
                }
                depth = max(0, depth - 1)
            case "~":
                out += "\u{A0}"
            case "-":
                if scalars.starts(with: ["-", "-"]) {
                    scalars = scalars.dropFirst(2)
                    out += "—"
                } else if scalars.first == "-" {
                    scalars = scalars.dropFirst()
                    out += "–"
                } else {
                    out += "-"
                }
            case "`":
                if scalars.first == "`" { scalars = scalars.dropFirst(); out += "“" } else { out += "‘" }
            case "'":
                if scalars.first == "'" { scalars = scalars.dropFirst(); out += "”" } else { out += "’" }
            case " ", "\t", "\n", "\r":
                if !out.isEmpty, out.last != " " { out += " " }
            default:
                out.unicodeScalars.append(c)
            }
        }
        while out.last == " " { out.removeLast() }
        return out.precomposedStringWithCanonicalMapping
    }

    private static let accents: [Character: UnicodeScalar] = [
        "'": "\u{301}", "`": "\u{300}", "^": "\u{302}", "\"": "\u{308}", "~": "\u{303}", "=": "\u{304}",
        ".": "\u{307}", "c": "\u{327}", "v": "\u{30C}", "u": "\u{306}", "H": "\u{30B}", "k": "\u{328}",
        "r": "\u{30A}", "d": "\u{323}", "b": "\u{331}",
    ]
    private static let letters: [String: String] = [
        "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
        "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
        "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textquoteright": "’", "textquoteleft": "‘",
        "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^",
    ]

    /// After a `\`: the text the command stands for; its argument, for formatting
    /// commands (`\emph{x}` → x).
    private static func command(_ s: inout ArraySlice<UnicodeScalar>, depth: Int) -> String {
        guard let first = s.first else { return "" }
        // One-character commands: escapes and accents written with punctuation.
        if !CharacterSet.letters.contains(first) {
            s = s.dropFirst()
            if let mark = accents[Character(first)] { return accented(&s, mark, depth: depth) }
            switch first {
            case "&", "%", "$", "#", "_", "{", "}", "\\": return first == "\\" ? " " : String(first)
            case " ": return " "
            default: return String(first)
            }
        }
        var name = ""
        while let c = s.first, CharacterSet.letters.contains(c) {
            name.unicodeScalars.append(c)
            s = s.dropFirst()
        }
        if name.count == 1, let mark = accents[Character(name)] {
            while s.first == " " { s = s.dropFirst() }
            return accented(&s, mark, depth: depth)
        }
        if let letter = letters[name] {
            // `\ss{}` and `\o ` end at an empty group or one space.
            if s.starts(with: ["{", "}"]) { s = s.dropFirst(2) } else if s.first == " " { s = s.dropFirst() }
            return letter
        }
        // Formatting and unknown commands: their argument's text, if any.
        while s.first == " " { s = s.dropFirst() }
        guard s.first == "{" else { return "" }
        return text(String(String.UnicodeScalarView(group(&s))), protect: false, depth: depth + 1)
    }

    /// The letter an accent applies to (`e`, `{e}`, `\i`, `{\i}`), with the mark.
    private static func accented(_ s: inout ArraySlice<UnicodeScalar>, _ mark: UnicodeScalar, depth: Int) -> String {
        var base: String
        if s.first == "{" {
            base = text(String(String.UnicodeScalarView(group(&s))), protect: false, depth: depth + 1)
        } else if s.first == "\\" {
            s = s.dropFirst()
            base = depth < maxDepth ? command(&s, depth: depth + 1) : ""
        } else if let c = s.first {
            s = s.dropFirst()
            base = String(c)
        } else {
            return String(mark)
        }
        if base.isEmpty { return String(mark) }
        base.unicodeScalars.insert(mark, at: base.unicodeScalars.index(after: base.unicodeScalars.startIndex))
        return base
    }

    /// A balanced `{…}` at the start of `s`: its inside, and `s` after it.
    private static func group(_ s: inout ArraySlice<UnicodeScalar>) -> ArraySlice<UnicodeScalar> {
        guard s.first == "{" else { return [] }
        var depth = 0, i = s.startIndex
        while i < s.endIndex {
            if s[i] == "\\" { i = s.index(i, offsetBy: 2, limitedBy: s.endIndex) ?? s.endIndex; continue }
            if s[i] == "{" { depth += 1 }
            if s[i] == "}" {
                depth -= 1
                if depth == 0 {
                    let inside = s[s.index(after: s.startIndex)..<i]
                    s = s[s.index(after: i)...]
                    return inside
                }
            }
            i = s.index(after: i)
        }
        let inside = s.dropFirst()
        s = []
        return inside
    }
}
