import DossierCore

/// A dataset's words in another language (`translations: { ko: … }` in its metadata):
/// its title, description, notes, source and licence, and `labels` — a column's name, a
/// row's label or a text cell's value → its translation — so that a chart or table on a
/// page in that language draws in it. An ordinal cell keeps the source's wording beside
/// its (translated) level; the downloads keep every original.
public struct DatasetTranslation: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var notes: [String]?
    public var source: String?
    public var licence: String?
    public var unit: String?
    public var labels: [String: String] = [:]
    public var location: SourceLocation

    static let keys = ["title", "description", "notes", "source", "licence", "unit", "labels"]
}

/// A scale's words in another language (`translations: { ko: { title, note, levels } }`
/// in `scales.yaml`; `levels` maps a level's name to its translation).
public struct ScaleTranslation: Sendable, Hashable {
    public var title: String?
    public var note: String?
    public var levels: [String: String] = [:]
    public var location: SourceLocation

    static let keys = ["title", "note", "levels"]
}

enum TranslationReader {
    /// `translations:` of a dataset's metadata or a scale: language code → mapping.
    static func read(_ node: YAMLTree?, keys: [String], sourceText: String, problems: inout [Diagnostic],
                     each: (String, YAMLTree, inout [Diagnostic]) -> Void) {
        guard let node else { return }
        guard case .mapping(let pairs, _) = node else {
            problems.append(Diagnostic.error("'translations' must map language codes to mappings, e.g. translations: { ko: { title: … } }",
                                             at: node.location).withSource(sourceText))
            return
        }
        for pair in pairs {
            guard case .mapping(let settings, _) = pair.value else {
                problems.append(Diagnostic.error("the '\(pair.key)' translation must be a mapping of \(keys.joined(separator: ", "))",
                                                 at: pair.value.location).withSource(sourceText))
                continue
            }
            for setting in settings where !keys.contains(setting.key) {
                problems.append(Diagnostic.error("unknown translation setting '\(setting.key)'\(SourceText.didYouMean(setting.key, in: keys)); settings: \(keys.joined(separator: ", "))",
                                                 at: setting.keyLocation).withSource(sourceText))
            }
            each(pair.key, pair.value, &problems)
        }
    }

    /// A mapping of text to text (`labels:`, `levels:`).
    static func map(_ node: YAMLTree?, name: String, sourceText: String, problems: inout [Diagnostic]) -> [String: String] {
        guard let node else { return [:] }
        guard case .mapping(let pairs, _) = node else {
            problems.append(Diagnostic.error("'\(name)' must map each name to its translation, e.g. { South Korea: 한국 }", at: node.location).withSource(sourceText))
            return [:]
        }
        var out: [String: String] = [:]
        for pair in pairs {
            guard case .scalar(let v, _) = pair.value, let s = v.stringValue ?? v.numberValue.map(Value.format), !s.isEmpty else {
                problems.append(Diagnostic.error("the translation of '\(pair.key)' must be text", at: pair.value.location).withSource(sourceText))
                continue
            }
            out[pair.key] = s
        }
        return out
    }

    static func text(_ node: YAMLTree?, _ key: String, sourceText: String, problems: inout [Diagnostic]) -> String? {
        guard let value = node?[key] else { return nil }
        guard case .scalar(let v, _) = value, let s = v.stringValue, !s.isEmpty else {
            problems.append(Diagnostic.error("'\(key)' must be text", at: value.location).withSource(sourceText))
            return nil
        }
        return s
    }
}

extension Dataset {
    /// The dataset in `code`'s words, or itself when it has no translation to `code`.
    /// Level names come from `scales` (already translated).
    public func translated(to code: String, scales: [String: Scale]) -> Dataset {
        var d = self
        let t = translations[code]
        if let t {
            d.title = t.title ?? title
            d.description = t.description ?? description
            d.notes = t.notes ?? notes
            if let name = t.source { d.source = DataSource(name: name, url: source?.url) }
            d.licence = t.licence ?? licence
            d.unit = t.unit ?? unit
            for c in d.columns.indices { d.columns[c].name = t.labels[columns[c].name] ?? columns[c].name }
            for r in d.rows.indices {
                d.rows[r][keyColumn].raw = t.labels[rows[r][keyColumn].raw] ?? rows[r][keyColumn].raw
                for c in d.columns.indices where c != keyColumn {
                    if case .text(let s) = rows[r][c].value, let translated = t.labels[s] {
                        d.rows[r][c].value = .text(translated)
                        d.rows[r][c].raw = translated
                    }
                }
            }
        }
        for c in d.columns.indices {
            guard case .ordinal(let id) = d.columns[c].type, let scale = scales[id] else { continue }
            for r in d.rows.indices {
                if case .level(let i, _) = d.rows[r][c].value, i < scale.levels.count { d.rows[r][c].value = .level(i, scale.levels[i].name) }
            }
        }
        return d
    }

    /// What `name` (a column's name or a row's label) is called in `code`.
    public func label(_ name: String, in code: String) -> String { translations[code]?.labels[name] ?? name }
}

extension Scale {
    /// The scale in `code`'s words (level names, title, note).
    public func translated(to code: String) -> Scale {
        guard let t = translations[code] else { return self }
        var s = self
        s.title = t.title ?? title
        s.note = t.note ?? note
        for i in s.levels.indices { s.levels[i].name = t.levels[levels[i].name] ?? levels[i].name }
        return s
    }
}

extension DataCatalog {
    /// Every language a dataset or scale is translated to.
    public var translatedLanguages: Set<String> {
        Set(datasets.values.flatMap(\.translations.keys)).union(scales.values.flatMap(\.translations.keys))
    }

    /// The catalog in `code`'s words: each dataset and scale translated where it has a
    /// translation to `code`.
    public func translated(to code: String) -> DataCatalog {
        let scales = scales.mapValues { $0.translated(to: code) }
        return DataCatalog(datasets: datasets.mapValues { $0.translated(to: code, scales: scales) }, scales: scales)
    }
}
