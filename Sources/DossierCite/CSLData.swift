import DossierCore

/// CSL JSON (Zotero's "Better CSL JSON", pandoc's `-t csljson`) and CSL YAML (a list of
/// items, or pandoc's `references:` list). JSON is read as YAML, which it is, so both keep
/// every value's line and column.
public enum CSLData {
    public static func parse(_ text: String, path: String) -> (references: [Reference], errors: [Diagnostic]) {
        let tree: YAMLTree
        do {
            tree = try YAMLReader.parse(text, path: path)
        } catch {
            return ([], error.diagnostics)
        }
        var list = tree
        if let inner = tree["references"] { list = inner }
        guard case .sequence(let items, _) = list else {
            return ([], [Diagnostic.error("expected a list of CSL items (or 'references:' with one)", at: tree.location).withSource(text)])
        }
        var references: [Reference] = [], errors: [Diagnostic] = [], seen: [String: SourceLocation] = [:]
        for item in items {
            switch reference(item) {
            case .success(let r):
                if let first = seen[r.key] {
                    errors.append(Diagnostic(.error, "the key '\(r.key)' is used twice", at: item["id"]?.location ?? item.location,
                                             notes: ["first used at \(first)"]).withSource(text))
                    continue
                }
                seen[r.key] = item["id"]?.location ?? item.location
                references.append(r)
            case .failure(let e):
                errors += e.diagnostics.map { $0.withSource(text) }
            }
        }
        return (references, errors)
    }

    static func reference(_ item: YAMLTree) -> Result<Reference, DiagnosticError> {
        guard case .mapping = item else { return .failure(DiagnosticError(.error("expected a CSL item (a mapping with 'id', 'type', 'title', …)", at: item.location))) }
        var problems: [Diagnostic] = []
        func string(_ key: String) -> String? {
            guard let v = item[key] else { return nil }
            switch v.value {
            case .string(let s): return s.isEmpty ? nil : s
            case .number(let n): return Value.format(n)
            default:
                problems.append(.error("'\(key)' must be text", at: v.location))
                return nil
            }
        }
        guard let key = string("id") else {
            return .failure(DiagnosticError(.error("a CSL item needs an 'id' (its citation key)", at: item.location)))
        }
        let typeName = string("type") ?? "document"
        let kind: Reference.Kind
        switch typeName {
        case "article", "article-journal": kind = .articleJournal
        case "book", "classic", "collection", "manuscript": kind = .book
        case "report": kind = .report
        case "webpage", "post", "post-weblog": kind = .webpage
        case "dataset": kind = .dataset
        case "legislation", "bill", "regulation", "treaty": kind = .legislation
        default:
            if let k = Reference.Kind(rawValue: typeName) { kind = k } else {
                problems.append(.warning("unknown CSL type '\(typeName)' for '\(key)': it is formatted as a document", at: item["type"]?.location ?? item.location))
                kind = .document
            }
        }
        var r = Reference(key: key, kind: kind, location: item.location)
        r.title = string("title")
        r.shortTitle = string("title-short") ?? string("shortTitle")
        if r.title == nil { problems.append(.error("item '\(key)' has no title: add 'title: …'", at: item.location)) }
        r.containerTitle = string("container-title")
        r.authors = names("author", item, &problems)
        r.editors = names("editor", item, &problems)
        r.publisher = string("publisher")
        r.publisherPlace = string("publisher-place")
        r.volume = string("volume")
        r.issue = string("issue")
        r.page = string("page")
        r.doi = string("DOI")
        r.url = string("URL")
        r.edition = string("edition")
        r.number = string("number")
        r.genre = string("genre")
        r.version = string("version")
        r.issued = date("issued", item, &problems)
        r.accessed = date("accessed", item, &problems)
        if problems.contains(where: { $0.severity == .error }) { return .failure(DiagnosticError(problems)) }
        return .success(r)
    }

    static func names(_ key: String, _ item: YAMLTree, _ problems: inout [Diagnostic]) -> [Name] {
        guard let v = item[key] else { return [] }
        guard case .sequence(let list, _) = v else {
            problems.append(.error("'\(key)' must be a list of names ({family: …, given: …} or {literal: …})", at: v.location))
            return []
        }
        return list.compactMap { n in
            let d = n.value.dictionaryValue ?? [:]
            if let literal = d["literal"]?.stringValue { return Name(literal: literal) }
            guard let family = d["family"]?.stringValue else {
                problems.append(.error("a name needs 'family' (and 'given'), or 'literal' for an organisation", at: n.location))
                return nil
            }
            return Name(family: family, given: d["given"]?.stringValue ?? "",
                        particle: d["dropping-particle"]?.stringValue ?? "")
        }
    }

    /// `{date-parts: [[2020, 5, 1]]}`, `{raw: "2020-05-01"}` (or the string itself).
    static func date(_ key: String, _ item: YAMLTree, _ problems: inout [Diagnostic]) -> DateParts? {
        guard let v = item[key] else { return nil }
        let value = v.value
        if let s = value.stringValue ?? value["raw"]?.stringValue {
            if let d = DateParts.parse(iso: s) { return d }
        } else if let first = value["date-parts"]?.arrayValue?.first?.arrayValue, let year = first.first?.numberValue {
            var d = DateParts(year: Int(year))
            if first.count > 1, let m = first[1].numberValue { d.month = Int(m) }
            if first.count > 2, let day = first[2].numberValue { d.day = Int(day) }
            return d
        } else if case .number(let n) = value {
            return DateParts(year: Int(n))
        }
        problems.append(.error("'\(key)' must be {date-parts: [[year, month, day]]} or a YYYY-MM-DD date", at: v.location))
        return nil
    }
}
