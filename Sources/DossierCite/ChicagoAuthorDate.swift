import DossierCore

/// The Chicago Manual of Style's author-date system (17th edition), as CSL's
/// `chicago-author-date` style (pandoc's default) sets it: a reference list entry for
/// each work, and the in-text citation that points to it. HTML out, every text escaped.
enum ChicagoAuthorDate {
    // MARK: Reference list

    /// One entry's HTML (without its wrapper); `substituteAuthors`: the same authors as the
    /// entry before, written "———".
    static func entry(_ r: Reference, yearSuffix: String, substituteAuthors: Bool) -> String {
        var e = EntryText()
        let (contributors, usedTitle) = self.contributors(r)
        e.add(substituteAuthors && !usedTitle ? "———" : contributors, after: ". ")
        e.add(date(r, suffix: yearSuffix), after: ". ")
        if !usedTitle { e.add(title(r), after: ". ") }
        // Description: a report's kind and number.
        if r.kind == .report || r.kind == .thesis {
            let parts = [r.genre.map(capitalizeFirst), r.kind == .report ? r.number : nil].compactMap { $0 }
            e.add(parts.map(HTML.escape).joined(separator: " "), after: ". ")
        }
        // Editors of a book that has authors.
        if !r.authors.isEmpty, !r.editors.isEmpty, r.kind != .chapter, r.kind != .paperConference {
            e.add("Edited by " + names(r.editors, inverted: false), after: ". ")
        }
        if let container = r.containerTitle {
            switch r.kind {
            case .chapter, .paperConference: e.add("In <em>" + HTML.escape(cased(container)) + "</em>", after: ". ")
            case .webpage: e.add(HTML.escape(cased(container)), after: ". ")
            default: e.add("<em>" + HTML.escape(cased(container)) + "</em>", after: ". ")
            }
        }
        if (r.kind == .chapter || r.kind == .paperConference), !r.editors.isEmpty {
            e.add("edited by " + names(r.editors, inverted: false), after: ", ")
        }
        if let edition = r.edition {
            let text = Int(edition).map { ordinal($0) + " ed." } ?? capitalizeFirst(edition)
            e.add(HTML.escape(text), after: r.kind == .chapter || r.kind == .paperConference ? ", " : ". ")
        }
        if (r.kind == .chapter || r.kind == .paperConference), let page = r.page {
            e.add(HTML.escape(PageRange.format(page)), after: ", ")
        }
        if r.kind == .articleJournal {
            if let volume = r.volume {
                // The issue in parentheses, else the month.
                let issue = r.issue ?? r.issued?.month.map { DateParts.months[$0 - 1] }
                e.add(HTML.escape(volume) + (issue.map { " (" + HTML.escape($0) + ")" } ?? ""), after: " ")
            } else if let issue = r.issue {
                e.add("no. " + HTML.escape(issue), after: ", ")
            }
        } else if [.book, .legislation, .report].contains(r.kind), let volume = r.volume {
            e.add("Vol. " + HTML.escape(volume), after: ". ")
        }
        // Issue: a newspaper's date; else place and publisher.
        switch r.kind {
        case .articleNewspaper, .articleMagazine:
            if let issued = r.issued, issued.month != nil { e.add(HTML.escape(issued.text), after: ", ") }
        case .articleJournal:
            break
        default:
            let publisher = [r.publisherPlace, r.publisher].compactMap { $0 }.map(HTML.escape).joined(separator: ": ")
            e.add(publisher, after: ". ")
        }
        if r.kind == .articleJournal, let page = r.page {
            e.add(HTML.escape(PageRange.format(page)), after: r.volume != nil || r.issue != nil ? ": " : ", ")
        }
        // Access: a web page's date, the date accessed when undated, the DOI or URL.
        if r.kind == .webpage, let issued = r.issued { e.add(HTML.escape(issued.text), after: ". ") }
        if let modified = r.modified, modified != r.issued { e.add("Last modified " + HTML.escape(modified.text), after: ". ") }
        if r.issued == nil, let accessed = r.accessed { e.add("Accessed " + HTML.escape(accessed.text), after: ". ") }
        if let doi = r.doi {
            let link = doi.hasPrefix("http") ? doi : "https://doi.org/" + doi
            e.add(anchor(link), after: ". ")
        } else if let url = r.url {
            e.add(anchor(url), after: ". ")
        }
        e.end(".")
        return e.html
    }

    /// The entry's names part, or its title when it has no names (`usedTitle`).
    static func contributors(_ r: Reference) -> (html: String, usedTitle: Bool) {
        if !r.authors.isEmpty { return (names(r.authors, inverted: true), false) }
        if !r.editors.isEmpty { return (names(r.editors, inverted: true) + (r.editors.count > 1 ? ", eds." : ", ed."), false) }
        if [.articleNewspaper, .articleMagazine].contains(r.kind), let container = r.containerTitle {
            return ("<em>" + HTML.escape(cased(container)) + "</em>", false)
        }
        return (title(r), true)
    }

    /// The authors as the sort key sees them (family name first, no markup).
    static func sortKey(_ r: Reference) -> String {
        let names = r.authors.isEmpty ? r.editors : r.authors
        if !names.isEmpty { return names.map(\.inverted).joined(separator: ", ") }
        return Reference.plain(r.title ?? "")
    }

    /// "Kim, Minsu, and Ji-woo Lee" (the first inverted); seven and "et al." for eleven or more.
    static func names(_ list: [Name], inverted: Bool) -> String {
        let shown = list.count >= 11 ? Array(list.prefix(7)) : list
        let texts = shown.enumerated().map { HTML.escape(inverted && $0.offset == 0 ? $0.element.inverted : $0.element.display) }
        if list.count >= 11 { return texts.joined(separator: ", ") + ", et al." }
        switch texts.count {
        case 0: return ""
        case 1: return texts[0]
        case 2: return inverted && shown[0].literal == nil && !shown[0].given.isEmpty ? texts[0] + ", and " + texts[1] : texts[0] + " and " + texts[1]
        default: return texts.dropLast().joined(separator: ", ") + ", and " + texts.last!
        }
    }

    static func date(_ r: Reference, suffix: String) -> String {
        guard let issued = r.issued else { return "n.d." + (suffix.isEmpty ? "" : "-" + suffix) }
        return String(issued.year) + suffix
    }

    static func title(_ r: Reference) -> String {
        guard let t = r.title else { return "" }
        let text = HTML.escape(Reference.plain(TitleCase.apply(t)))
        return r.kind.italicTitle ? "<em>" + text + "</em>" : "“" + text + "”"
    }

    static func cased(_ text: String) -> String { Reference.plain(TitleCase.apply(text)) }

    static func anchor(_ url: String) -> String {
        let e = HTML.escape(url)
        return "<a href=\"\(e)\">\(e)</a>"
    }

    static func capitalizeFirst(_ s: String) -> String {
        guard let c = s.first else { return s }
        return c.uppercased() + s.dropFirst()
    }

    static func ordinal(_ n: Int) -> String {
        let tens = n % 100
        let suffix = (11...13).contains(tens) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    // MARK: In-text citations

    /// "Kim and Lee", "Park, Choi, and Jung", "Müller et al.", "OECD"; the title when the
    /// work names no one.
    static func shortAuthors(_ r: Reference) -> String {
        let list = r.authors.isEmpty ? r.editors : r.authors
        guard !list.isEmpty else {
            if [.articleNewspaper, .articleMagazine].contains(r.kind), let c = r.containerTitle { return "<em>" + HTML.escape(cased(c)) + "</em>" }
            // Chicago shortens the title in citations (pandoc 2.17 does not).
            if let short = r.shortTitle {
                var shortened = r
                shortened.title = short
                return title(shortened)
            }
            return title(r)
        }
        let shorts = list.map { HTML.escape($0.short) }
        switch shorts.count {
        case 1: return shorts[0]
        case 2: return shorts[0] + " and " + shorts[1]
        case 3: return shorts[0] + ", " + shorts[1] + ", and " + shorts[2]
        default: return shorts[0] + " et al."
        }
    }

    /// The year part of a citation: "2020a", or ", n.d." after the names.
    static func citationDate(_ r: Reference, suffix: String) -> (text: String, separator: String) {
        guard let issued = r.issued else { return ("n.d." + (suffix.isEmpty ? "" : "-" + suffix), r.accessed == nil ? ", " : " ") }
        return (String(issued.year) + suffix, " ")
    }
}

/// Builds an entry part by part: each part after its delimiter, and punctuation the
/// way American style sets it — inside closing quotation marks, never doubled.
struct EntryText {
    private(set) var html = ""

    mutating func add(_ part: String, after delimiter: String) {
        guard !part.isEmpty else { return }
        if html.isEmpty { html = part; return }
        append(delimiter)
        html += part
    }

    mutating func end(_ punctuation: String) { append(punctuation) }

    private mutating func append(_ delimiter: String) {
        guard let mark = delimiter.first, mark == "." || mark == "," || mark == ":" else { html += delimiter; return }
        let rest = String(delimiter.dropFirst())
        // The last visible character, before closing tags and a closing quote.
        var tail = html[...]
        var tags = ""
        while tail.hasSuffix(">"), let open = tail.lastIndex(of: "<") {
            tags = String(tail[open...]) + tags
            tail = tail[..<open]
        }
        let quoted = tail.hasSuffix("”")
        let body = quoted ? tail.dropLast() : tail
        let ends = body.last.map { ".?!".contains($0) } ?? false
        if ends, mark == "." || mark == "," {
            html += rest  // "Jr." then ". ": one period; "Why?" then ", ": no comma.
        } else if quoted, mark == "." || mark == "," {
            html = String(body) + String(mark) + "”" + tags + rest
        } else {
            html += delimiter
        }
    }
}

/// Page ranges as Chicago abbreviates them: 45–67, 101–8, 321–28, 1496–1504.
enum PageRange {
    static func format(_ page: String) -> String {
        let parts = page.split(separator: "-", omittingEmptySubsequences: true).map { $0.trimmingSpaces }
        guard parts.count == 2, let a = Int(parts[0]), var b = Int(parts[1]) else {
            return page.replacingOccurrences(of: "-", with: "–")
        }
        // "101-19": the second number written short; expand it first.
        if b < a, parts[1].count < parts[0].count {
            let prefix = String(parts[0].prefix(parts[0].count - parts[1].count))
            b = Int(prefix + parts[1]) ?? b
        }
        guard b > a else { return parts[0] + "–" + parts[1] }
        let first = String(a), second = String(b)
        if a < 100 || a % 100 == 0 || first.count != second.count { return first + "–" + second }
        // Drop the leading digits the two share; keep at least two when the first is past x09.
        var shared = 0
        for (x, y) in zip(first, second) { if x == y { shared += 1 } else { break } }
        var keep = second.count - shared
        if a % 100 >= 10 { keep = max(keep, 2) }
        if first.count == 4, keep >= 3 { return first + "–" + second }
        return first + "–" + String(second.suffix(keep))
    }
}
