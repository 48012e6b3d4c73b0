import Foundation

/// A reference written out for reference managers: BibTeX (biblatex fields, which Zotero,
/// JabRef and pandoc read) and RIS (EndNote's, which Zotero and Mendeley read).
public enum ReferenceExport {
    public static func bibtex(_ r: Reference) -> String {
        let type: String
        switch r.kind {
        case .articleJournal, .articleNewspaper, .articleMagazine: type = "article"
        case .book: type = "book"
        case .chapter: type = "incollection"
        case .paperConference: type = "inproceedings"
        case .report: type = "report"
        case .webpage: type = "online"
        case .dataset: type = "dataset"
        case .legislation: type = "legislation"
        case .thesis: type = "thesis"
        case .document: type = "misc"
        }
        var fields: [(String, String)] = []
        func names(_ list: [Name]) -> String {
            list.map { n in
                if let literal = n.literal { return "{" + escape(literal) + "}" }
                let family = n.particle.isEmpty ? n.family : n.particle + " " + n.family
                return escape(family) + (n.given.isEmpty ? "" : ", " + escape(n.given))
            }.joined(separator: " and ")
        }
        if !r.authors.isEmpty { fields.append(("author", names(r.authors))) }
        if !r.editors.isEmpty { fields.append(("editor", names(r.editors))) }
        // The title in braces as well: its case is as the author wrote it.
        if let t = r.title { fields.append(("title", "{" + escape(Reference.plain(t)) + "}")) }
        if let t = r.containerTitle {
            fields.append((r.kind == .chapter || r.kind == .paperConference ? "booktitle" : r.kind == .webpage ? "organization" : "journaltitle", escape(t)))
        }
        if let p = r.publisher { fields.append((r.kind == .report ? "institution" : "publisher", "{" + escape(p) + "}")) }
        if let d = r.issued { fields.append(("date", iso(d))) }
        for (name, value) in [("volume", r.volume), ("number", r.issue ?? r.number), ("pages", r.page), ("edition", r.edition)] {
            if let value { fields.append((name, escape(value))) }
        }
        if let doi = r.doi { fields.append(("doi", doi)) }
        if let url = r.url { fields.append(("url", url)) }
        if let d = r.accessed { fields.append(("urldate", iso(d))) }
        let key = r.key.filter { !"{}, \t\n\"#%'()=~".contains($0) }
        return "@\(type){\(key.isEmpty ? "ref" : key),\n" + fields.map { "  \($0.0) = {\($0.1)}" }.joined(separator: ",\n") + "\n}\n"
    }

    public static func ris(_ r: Reference) -> String {
        let type: String
        switch r.kind {
        case .articleJournal: type = "JOUR"
        case .articleNewspaper: type = "NEWS"
        case .articleMagazine: type = "MGZN"
        case .book: type = "BOOK"
        case .chapter: type = "CHAP"
        case .paperConference: type = "CONF"
        case .report: type = "RPRT"
        case .webpage: type = "ELEC"
        case .dataset: type = "DATA"
        case .legislation: type = "STAT"
        case .thesis: type = "THES"
        case .document: type = "GEN"
        }
        var lines = ["TY  - " + type]
        func add(_ tag: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append(tag + "  - " + value.replacingOccurrences(of: "\n", with: " "))
        }
        for n in r.authors { add("AU", n.literal ?? n.inverted) }
        for n in r.editors { add("ED", n.literal ?? n.inverted) }
        add("TI", r.title.map(Reference.plain))
        add("T2", r.containerTitle)
        add("PB", r.publisher)
        add("CY", r.publisherPlace)
        if let d = r.issued {
            add("PY", String(d.year))
            add("DA", String(format: "%04d/%@/%@", d.year, d.month.map { String(format: "%02d", $0) } ?? "", d.day.map { String(format: "%02d", $0) } ?? ""))
        }
        add("VL", r.volume)
        add("IS", r.issue)
        add("ET", r.edition)
        if let p = r.page {
            let parts = p.split(separator: "-", maxSplits: 1)
            add("SP", parts.first.map(String.init))
            if parts.count > 1 { add("EP", String(parts[1])) }
        }
        add("DO", r.doi)
        add("UR", r.url)
        if let d = r.accessed { add("Y2", iso(d)) }
        lines.append("ER  - ")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `2025-06-01`, `2025-06`, `2025`.
    static func iso(_ d: DateParts) -> String {
        var s = String(format: "%04d", d.year)
        if let m = d.month { s += String(format: "-%02d", m) }
        if let m = d.month, m > 0, let day = d.day { s += String(format: "-%02d", day) }
        return s
    }

    /// Text with BibTeX's special characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "{", "}", "&", "%", "$", "#", "_": out += "\\" + String(c)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            default: out.append(c)
            }
        }
        return out
    }
}
