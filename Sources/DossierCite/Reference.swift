import DossierCore

/// One work a page can cite, in CSL's terms (the model both BibTeX and CSL JSON/YAML are
/// read into, and the formatters read from).
public struct Reference: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case articleJournal = "article-journal"
        case articleNewspaper = "article-newspaper"
        case articleMagazine = "article-magazine"
        case book
        case chapter
        case report
        case webpage
        case dataset
        case legislation
        case paperConference = "paper-conference"
        case thesis
        case document

        /// Titles set in italics (the rest are quoted).
        var italicTitle: Bool { [.book, .legislation].contains(self) }
    }

    public var key: String
    public var kind: Kind
    /// Protected spans (BibTeX braces, which keep their case) between `Reference.protectOpen`
    /// and `protectClose`.
    public var title: String?
    /// What a citation shows of the title when the work names no one (`shorttitle`).
    public var shortTitle: String?
    public var containerTitle: String?
    public var authors: [Name] = []
    public var editors: [Name] = []
    public var publisher: String?
    public var publisherPlace: String?
    public var issued: DateParts?
    public var accessed: DateParts?
    /// When a web page was last changed (a page's `updated`): "Last modified …".
    public var modified: DateParts?
    public var volume: String?
    public var issue: String?
    public var page: String?
    public var doi: String?
    public var url: String?
    public var edition: String?
    /// A report's number.
    public var number: String?
    /// A report's or thesis's kind ("Policy Study", "PhD diss.").
    public var genre: String?
    public var version: String?
    /// Where the entry starts (`references.bib:12:1`), for errors found later.
    public var location: SourceLocation

    public init(key: String, kind: Kind, location: SourceLocation) {
        self.key = key
        self.kind = kind
        self.location = location
    }

    public static let protectOpen: Character = "\u{E000}"
    public static let protectClose: Character = "\u{E001}"

    /// `text` without the protection marks.
    static func plain(_ text: String) -> String {
        text.contains(protectOpen) || text.contains(protectClose)
            ? String(text.filter { $0 != protectOpen && $0 != protectClose }) : text
    }
}

/// A person (`family`, `given`) or an organisation (`literal`).
public struct Name: Sendable, Hashable {
    public var family: String
    public var given: String
    /// "van" in "Ludwig van Beethoven": after the given names, inverted or not, and left
    /// out of citations ("Beethoven, Ludwig van"; "Beethoven 2010").
    public var particle: String = ""
    public var literal: String?

    public init(family: String, given: String = "", particle: String = "") {
        self.family = family
        self.given = given
        self.particle = particle
    }

    public init(literal: String) {
        family = ""
        given = ""
        self.literal = literal
    }

    /// "Kim" in a citation.
    var short: String { literal ?? family }
    /// "Kim, Minsu" (the first name of a reference list entry).
    public var inverted: String {
        if let literal { return literal }
        let first = [given, particle].filter { !$0.isEmpty }.joined(separator: " ")
        return first.isEmpty ? family : family + ", " + first
    }
    /// "Minsu Kim".
    public var display: String {
        if let literal { return literal }
        return [given, particle, family].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// A date as bibliographies give it: a year, perhaps a month, perhaps a day.
public struct DateParts: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int?
    public var day: Int?

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: DateParts, b: DateParts) -> Bool {
        (a.year, a.month ?? 0, a.day ?? 0) < (b.year, b.month ?? 0, b.day ?? 0)
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    /// "June 14, 2022", "January 2024", "2023".
    var text: String {
        guard let month, (1...12).contains(month) else { return String(year) }
        let name = Self.months[month - 1]
        if let day { return "\(name) \(day), \(year)" }
        return "\(name) \(year)"
    }

    /// `2024-03-05`, `2024-03` or `2024` (ISO 8601, as BibTeX's `date` and CSL's `raw` write it).
    static func parse(iso text: String) -> DateParts? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let year = Int(parts[0]), parts[0].count == 4 else { return nil }
        var date = DateParts(year: year)
        if parts.count > 1 {
            guard let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            date.month = m
        }
        if parts.count > 2 {
            guard let d = Int(parts[2]), (1...31).contains(d) else { return nil }
            date.day = d
        }
        return date
    }
}

extension Reference {
    /// The reference list entry, as HTML (Chicago author-date; the numeric style lists the same).
    public var entryHTML: String { ChicagoAuthorDate.entry(self, yearSuffix: "", substituteAuthors: false) }

    /// The title without its case-protection marks.
    public var plainTitle: String? { title.map(Reference.plain) }
}
