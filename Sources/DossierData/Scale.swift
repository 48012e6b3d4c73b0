import DossierCore

/// An ordinal scale such as Nascent < Intermediate < Advanced < Pioneering, defined once
/// and shared by datasets. Synonyms record how a source's wording maps to a level: an
/// editorial reading, which `note` explains to readers.
public struct Scale: Sendable, Hashable {
    public struct Level: Sendable, Hashable {
        public var name: String
        public var synonyms: [String]
        public var description: String?

        public init(name: String, synonyms: [String] = [], description: String? = nil) {
            self.name = name
            self.synonyms = synonyms
            self.description = description
        }
    }

    public var id: String
    public var title: String
    /// Lowest first.
    public var levels: [Level]
    public var note: String?
    public var location: SourceLocation
    /// Its words in other languages, by language code.
    public var translations: [String: ScaleTranslation] = [:]

    public init(id: String, title: String, levels: [Level], note: String? = nil, location: SourceLocation) {
        self.id = id
        self.title = title
        self.levels = levels
        self.note = note
        self.location = location
    }

    /// The index of the level a cell's text names, matching names and synonyms without
    /// regard to case or surrounding space.
    public func level(for text: String) -> Int? {
        let key = Scale.normalize(text)
        return levels.firstIndex { level in
            Scale.normalize(level.name) == key || level.synonyms.contains { Scale.normalize($0) == key }
        }
    }

    /// Every spelling the scale accepts, for "did you mean" hints.
    public var spellings: [String] { levels.flatMap { [$0.name] + $0.synonyms } }

    public static func normalize(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
