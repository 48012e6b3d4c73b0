import DossierCore
import Foundation

/// Every dataset and scale of a site, loaded from the texts of `Content/data/` (the
/// caller reads the files; this type only parses and validates them).
public struct DataCatalog: Sendable {
    public var datasets: [String: Dataset]
    public var scales: [String: Scale]

    public init(datasets: [String: Dataset] = [:], scales: [String: Scale] = [:]) {
        self.datasets = datasets
        self.scales = scales
    }

    /// The file that defines shared ordinal scales.
    public static let scalesFile = "scales.yaml"

    /// Loads `files` (display path → text). All problems of all files are reported.
    public static func load(files: [String: String]) throws(DiagnosticError) -> DataCatalog {
        var problems: [Diagnostic] = []
        var catalog = DataCatalog()
        let paths = files.keys.sorted()

        for path in paths where fileName(path) == scalesFile {
            do { catalog.scales.merge(try ScaleLoader.load(files[path]!, path: path), uniquingKeysWith: { a, _ in a }) } catch {
                problems += error.diagnostics
            }
        }

        let csvStems = Set(paths.filter { ext($0) == "csv" }.map(stem))
        for path in paths {
            let text = files[path]!
            let name = fileName(path)
            if name == scalesFile { continue }
            do throws(DiagnosticError) {
                switch ext(path) {
                case "csv":
                    try checkName(path)
                    let sidecars = ["yaml", "yml", "json"].map { stem(path) + "." + $0 }.filter { files[$0] != nil }
                    if sidecars.count > 1 {
                        throw DiagnosticError(.error("\(sidecars.joined(separator: " and ")) both stand beside \(path): keep one of them as its metadata, "
                                                     + "or rename the other to make it a dataset of its own", at: SourceLocation(path: sidecars[1], line: 1)))
                    }
                    let sidecarPath = sidecars.first
                    var reader = DatasetReader(catalog: catalog)
                    let dataset = try reader.readCSV(
                        text, path: path, metadataText: sidecarPath.flatMap { files[$0] }, metadataPath: sidecarPath)
                    try catalog.add(dataset)
                case "yaml", "yml", "json":
                    if csvStems.contains(stem(path)) { continue }  // a CSV's sidecar
                    try checkName(path)
                    var reader = DatasetReader(catalog: catalog)
                    try catalog.add(try reader.readStructured(text, path: path))
                default:
                    continue
                }
            } catch {
                problems += error.diagnostics
            }
        }
        guard problems.isEmpty else {
            throw DiagnosticError(problems.sorted { ($0.location ?? SourceLocation(path: "", line: 0)) < ($1.location ?? SourceLocation(path: "", line: 0)) })
        }
        return catalog
    }

    private mutating func add(_ dataset: Dataset) throws(DiagnosticError) {
        if let existing = datasets[dataset.id] {
            throw DiagnosticError(.error("a dataset named '\(dataset.id)' is already defined by \(existing.path)",
                                         at: SourceLocation(path: dataset.path, line: 1)))
        }
        datasets[dataset.id] = dataset
    }

    /// A dataset's name (its file name without the extension) is its id and the name of
    /// its published files: letters, digits, `-`, `_` and `.`, not starting with `.`.
    static func checkName(_ path: String) throws(DiagnosticError) {
        let name = String(fileName(stem(path)))
        let safe = !name.isEmpty && !name.hasPrefix(".") && name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard safe else {
            throw DiagnosticError(.error("'\(name)' cannot name a dataset: use letters, digits, '-', '_' or '.' (not first) in data file names",
                                         at: SourceLocation(path: path, line: 1)))
        }
    }

    public static func fileName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
    public static func ext(_ path: String) -> String {
        let name = fileName(path)
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
    static func stem(_ path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return path }
        return String(path[..<dot])
    }
}

/// Reads `scales.yaml`: `name: { title, note, levels: [Level, {name, synonyms, description}] }`.
enum ScaleLoader {
    static func load(_ text: String, path: String) throws(DiagnosticError) -> [String: Scale] {
        let tree = try YAMLReader.parse(text, path: path)
        guard case .mapping(let pairs, _) = tree else {
            throw DiagnosticError(Diagnostic.error("scales.yaml must map scale names to their levels", at: tree.location).withSource(text))
        }
        var scales: [String: Scale] = [:]
        var problems: [Diagnostic] = []
        for (name, keyLocation, node) in pairs {
            guard case .sequence(let levelNodes, _)? = node["levels"] else {
                problems.append(Diagnostic.error("scale '\(name)' needs 'levels:', a list from lowest to highest", at: keyLocation).withSource(text))
                continue
            }
            var levels: [Scale.Level] = []
            for levelNode in levelNodes {
                switch levelNode {
                case .scalar(let v, _) where v.stringValue != nil:
                    levels.append(Scale.Level(name: v.stringValue!))
                case .mapping:
                    guard let levelName = levelNode["name"]?.value.stringValue else {
                        problems.append(Diagnostic.error("a level needs a 'name'", at: levelNode.location).withSource(text))
                        continue
                    }
                    let synonyms = levelNode["synonyms"]?.value.arrayValue?.compactMap(\.stringValue) ?? []
                    levels.append(Scale.Level(name: levelName, synonyms: synonyms, description: levelNode["description"]?.value.stringValue))
                default:
                    problems.append(Diagnostic.error("a level is a name or a mapping with 'name' and 'synonyms'", at: levelNode.location).withSource(text))
                }
            }
            var spellings: [String: String] = [:]
            var names: Set<String> = []
            for level in levels where !names.insert(Scale.normalize(level.name)).inserted {
                problems.append(Diagnostic.error("scale '\(name)' lists the level '\(level.name)' twice", at: keyLocation).withSource(text))
            }
            for level in levels {
                for spelling in [level.name] + level.synonyms {
                    let key = Scale.normalize(spelling)
                    if let other = spellings[key], other != level.name {
                        problems.append(Diagnostic.error("scale '\(name)': '\(spelling)' names both '\(other)' and '\(level.name)'", at: keyLocation).withSource(text))
                    }
                    spellings[key] = level.name
                }
            }
            guard levels.count >= 2 else {
                problems.append(Diagnostic.error("scale '\(name)' needs at least two levels", at: keyLocation).withSource(text))
                continue
            }
            var scale = Scale(id: name, title: node["title"]?.value.stringValue ?? name, levels: levels,
                              note: node["note"]?.value.stringValue, location: keyLocation)
            TranslationReader.read(node["translations"], keys: ScaleTranslation.keys, sourceText: text, problems: &problems) { code, t, problems in
                var translation = ScaleTranslation(location: t.location)
                translation.title = TranslationReader.text(t, "title", sourceText: text, problems: &problems)
                translation.note = TranslationReader.text(t, "note", sourceText: text, problems: &problems)
                translation.levels = TranslationReader.map(t["levels"], name: "levels", sourceText: text, problems: &problems)
                let names = levels.map(\.name)
                for key in translation.levels.keys.sorted() where !names.contains(key) {
                    let at = t["levels"].flatMap { node -> SourceLocation? in
                        if case .mapping(let pairs, _) = node { return pairs.first { $0.key == key }?.keyLocation }
                        return nil
                    } ?? t.location
                    problems.append(Diagnostic.error("scale '\(name)' has no level '\(key)'\(SourceText.didYouMean(key, in: names)); levels: \(names.joined(separator: ", "))",
                                                     at: at).withSource(text))
                }
                let translated = names.map { translation.levels[$0] ?? $0 }
                if Set(translated.map(Scale.normalize)).count < translated.count {
                    problems.append(Diagnostic.error("the '\(code)' translation of scale '\(name)' gives two levels the same name", at: t.location).withSource(text))
                }
                scale.translations[code] = translation
            }
            scales[name] = scale
        }
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return scales
    }
}
