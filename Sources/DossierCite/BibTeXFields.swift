import DossierCore

/// A BibTeX entry's fields in CSL's terms, as pandoc maps them (biblatex names first:
/// `journaltitle`, `date`, `location`, `urldate`; their BibTeX synonyms after).
enum BibTeXFields {
    static func kind(_ type: String, subtype: String?) -> Reference.Kind? {
        switch type {
        case "article":
            switch subtype?.lowercased() {
            case "newspaper": return .articleNewspaper
            case "magazine": return .articleMagazine
            default: return .articleJournal
            }
        case "book", "mvbook", "booklet", "manual", "collection", "mvcollection", "proceedings": return .book
        case "incollection", "inbook", "bookinbook", "suppbook": return .chapter
        case "inproceedings", "conference": return .paperConference
        case "techreport", "report": return .report
        case "online", "electronic", "www": return .webpage
        case "dataset", "data": return .dataset
        case "legislation", "law", "legal", "statute", "jurisdiction": return .legislation
        case "thesis", "phdthesis", "mastersthesis": return .thesis
        case "misc", "unpublished", "software", "artwork", "audio", "video", "image", "movie", "music", "patent", "standard": return .document
        default: return nil
        }
    }

    static func reference(type: String, key: String, fields: [String: BibTeX.Field], at start: SourceLocation)
        -> Result<Reference, DiagnosticError> {
        var problems: [Diagnostic] = []
        func text(_ name: String, protect: Bool = false) -> String? {
            guard let f = fields[name] else { return nil }
            let t = LaTeXText.text(f.raw, protect: protect)
            return t.isEmpty ? nil : t
        }
        func first(_ names: String...) -> String? { names.lazy.compactMap { text($0) }.first }
        let kind: Reference.Kind
        if let k = Self.kind(type, subtype: text("entrysubtype")) {
            kind = k
        } else {
            problems.append(.warning("unknown entry type '@\(type)' for '\(key)': it is formatted as a document (types: @article, @book, @incollection, @techreport, @online, @dataset, @legislation, @misc…)",
                                     at: start))
            kind = .document
        }
        var r = Reference(key: key, kind: kind, location: start)
        r.title = text("title", protect: true)
        r.shortTitle = text("shorttitle", protect: true)
        if r.title == nil, fields["title"] == nil {
            problems.append(.error("entry '\(key)' has no title: add 'title = {…}'", at: start))
        }
        r.authors = names("author", fields, &problems)
        r.editors = names("editor", fields, &problems)
        switch kind {
        case .chapter, .paperConference: r.containerTitle = first("booktitle", "maintitle")
        default: r.containerTitle = first("journaltitle", "journal")
        }
        // biblatex's list fields: several publishers are joined with "; ".
        let publisherField: String? = kind == .report || kind == .thesis
            ? (fields["institution"] != nil ? "institution" : fields["publisher"] != nil ? "publisher" : fields["school"] != nil ? "school" : nil)
            : (fields["publisher"] != nil ? "publisher" : fields["organization"] != nil ? "organization"
                : fields["institution"] != nil ? "institution" : fields["howpublished"] != nil ? "howpublished" : nil)
        if let p = publisherField {
            r.publisher = p == "howpublished" ? text(p) : listText(fields[p]!.raw)
        }
        if let place = fields["location"] ?? fields["address"] { r.publisherPlace = listText(place.raw) }
        r.volume = text("volume")
        if kind == .report { r.number = text("number") } else { r.issue = first("issue", "number") }
        r.page = fields["pages"].map { LaTeXText.text($0.raw.replacingOccurrences(of: "--", with: "-")) }
        r.doi = fields["doi"].map { $0.raw.trimmingSpaces }
        r.url = fields["url"].map { $0.raw.trimmingSpaces }
        r.edition = text("edition")
        r.genre = text("type")
        r.version = text("version")
        if let date = fields["date"] {
            if let d = DateParts.parse(iso: LaTeXText.text(date.raw)) { r.issued = d } else {
                problems.append(.error("'date' must be YYYY, YYYY-MM or YYYY-MM-DD, got '\(date.raw)'", at: date.location))
            }
        } else if let year = fields["year"] {
            let y = LaTeXText.text(year.raw)
            if let n = Int(y), y.count == 4 {
                r.issued = DateParts(year: n)
                if let month = fields["month"] {
                    if let m = monthNumber(LaTeXText.text(month.raw)) { r.issued?.month = m } else {
                        problems.append(.error("'month' must be a month's name or number, got '\(month.raw)'", at: month.location))
                    }
                }
            } else {
                problems.append(.error("'year' must be four digits, got '\(year.raw)'", at: year.location))
            }
        }
        if let date = fields["urldate"] {
            if let d = DateParts.parse(iso: LaTeXText.text(date.raw)) { r.accessed = d } else {
                problems.append(.error("'urldate' must be YYYY-MM-DD, got '\(date.raw)'", at: date.location))
            }
        }
        if problems.contains(where: { $0.severity == .error }) { return .failure(DiagnosticError(problems)) }
        return .success(r)
    }

    static func monthNumber(_ text: String) -> Int? {
        if let n = Int(text), (1...12).contains(n) { return n }
        let t = text.lowercased()
        guard t.count >= 3 else { return nil }
        return DateParts.months.firstIndex { $0.lowercased().hasPrefix(t) }.map { $0 + 1 }
    }

    /// biblatex's literal lists: `A and B` are two publishers (`{A and B}` one).
    static func listText(_ raw: String) -> String {
        splitOnAnd(raw).map { LaTeXText.text(stripOuterBraces($0)) }.joined(separator: "; ")
    }

    /// `Kim, Minsu and Lee, Ji-woo and {OECD}`.
    static func names(_ field: String, _ fields: [String: BibTeX.Field], _ problems: inout [Diagnostic]) -> [Name] {
        guard let f = fields[field] else { return [] }
        return splitOnAnd(f.raw).compactMap { part in
            let trimmed = part.trimmingSpaces
            guard !trimmed.isEmpty else { return nil }
            if trimmed == "others" { return nil }
            if let inner = wholeGroup(trimmed) { return Name(literal: LaTeXText.text(inner)) }
            let pieces = splitTopLevel(trimmed, on: ",").map { LaTeXText.text($0) }
            switch pieces.count {
            case 1:
                // "First von Last": the last word is the family name, with any lowercase
                // words before it (particles).
                let words = splitTopLevel(trimmed, on: " ").map { LaTeXText.text($0) }.filter { !$0.isEmpty }
                guard let last = words.indices.last else { return nil }
                var particleStart = last
                while particleStart > 1, let c = words[particleStart - 1].first, c.isLowercase { particleStart -= 1 }
                return Name(family: words[last], given: words[..<particleStart].joined(separator: " "),
                            particle: words[particleStart..<last].joined(separator: " "))
            case 2:
                // "van Beethoven, Ludwig": lowercase words before the family name are its particle.
                let words = pieces[0].split(separator: " ").map(String.init)
                let particle = words.prefix { $0.first?.isLowercase ?? false }
                if !particle.isEmpty, particle.count < words.count {
                    return Name(family: words.dropFirst(particle.count).joined(separator: " "), given: pieces[1],
                                particle: particle.joined(separator: " "))
                }
                return Name(family: pieces[0], given: pieces[1])
            default:
                // "Last, Jr, First".
                return Name(family: pieces[0], given: pieces[2...].joined(separator: ", ") + ", " + pieces[1])
            }
        }
    }

    /// `raw` split on ` and ` outside braces.
    static func splitOnAnd(_ raw: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        let words = raw.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ").split(separator: " ", omittingEmptySubsequences: true)
        for word in words {
            if depth == 0, word.lowercased() == "and" {
                parts.append(current)
                current = ""
                continue
            }
            current += current.isEmpty ? String(word) : " " + word
            for c in word { if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) } }
        }
        parts.append(current)
        return parts.filter { !$0.isEmpty }
    }

    static func splitTopLevel(_ raw: String, on separator: Character) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in raw {
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if c == separator, depth == 0 {
                parts.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current.trimmingSpaces)
        return parts
    }

    /// The inside of `{…}` when the braces enclose the whole text.
    static func wholeGroup(_ text: String) -> String? {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return nil }
        var depth = 0
        let last = text.count - 1
        for (k, c) in text.enumerated() {
            if c == "{" { depth += 1 } else if c == "}" {
                depth -= 1
                if depth == 0, k != last { return nil }
            }
        }
        return String(text.dropFirst().dropLast())
    }

    static func stripOuterBraces(_ text: String) -> String { wholeGroup(text.trimmingSpaces) ?? text }
}
