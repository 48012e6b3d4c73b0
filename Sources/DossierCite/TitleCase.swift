/// Titles in headline style, as CSL's `text-case="title"` does it for English: words
/// capitalised except short function words in the middle; words that already hold a
/// capital (`AI`, `iPhone`) and protected spans (BibTeX braces) are left alone.
enum TitleCase {
    static let stopWords: Set<String> = [
        "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of", "on",
        "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
    ]

    static func apply(_ title: String) -> String {
        var out = ""
        var word = ""
        var protected = 0
        var first = true, afterColon = false
        var tail = false
        func flush() {
            guard !word.isEmpty else { return }
            let core = word.drop { !$0.isLetter }
            let lower = core.lowercased()
            let stripped = String(lower.prefix { $0.isLetter })
            if !first, !afterColon, stopWords.contains(stripped), core.dropFirst().allSatisfy({ !$0.isUppercase }) {
                // A function word mid-title: lowercase.
                out += word.prefix(word.count - core.count) + lower
            } else if core.allSatisfy({ !$0.isUppercase }), core.first != nil {
                // Each part of a hyphenated word: "Public-Sector".
                out += word.prefix(word.count - core.count) + core.split(separator: "-", omittingEmptySubsequences: false)
                    .map { part in part.first.map { $0.uppercased() + part.dropFirst() } ?? "" }.joined(separator: "-")
            } else {
                out += word
            }
            afterColon = word.hasSuffix(":") || word.hasSuffix("?") || word.hasSuffix("!") || word.hasSuffix("—")
            first = false
            word = ""
        }
        for c in title {
            if c == Reference.protectOpen {
                flush()
                protected += 1
                out.append(c)
            } else if c == Reference.protectClose {
                protected = max(0, protected - 1)
                out.append(c)
                first = false
                // What follows in the same word ("{Korea}'s") keeps its case too.
                tail = protected == 0
            } else if protected > 0 {
                out.append(c)
            } else if c == " " || c == "\u{A0}" {
                flush()
                tail = false
                out.append(c)
            } else if tail {
                out.append(c)
                afterColon = c == ":"
            } else {
                word.append(c)
            }
        }
        flush()
        return out
    }
}
