import DossierCharts
import DossierCore
import DossierMarkdown
import Foundation

/// One language a site is published in (`languages:` in site.yaml): its code, the name
/// its readers know it by (for the language switcher), and the site's title, description
/// and author in it (each the site's own when not given).
public struct SiteLanguage: Sendable, Equatable {
    public var code: String
    public var name: String
    public var title: String?
    public var description: String?
    public var author: String?
}

/// The languages of a site, the default (`language:`) first. The default language's pages
/// are at the site's root; another language's at `/CODE/`, from `NAME.CODE.md` beside
/// `NAME.md`.
public struct Languages: Sendable, Equatable {
    public private(set) var all: [SiteLanguage]

    public init(_ all: [SiteLanguage]) { self.all = all }

    /// A site in one language.
    public static func single(_ code: String) -> Languages { Languages([SiteLanguage(code: code, name: code)]) }

    public var defaultCode: String { all[0].code }
    public var codes: [String] { all.map(\.code) }
    public var isMultilingual: Bool { all.count > 1 }

    public func language(_ code: String) -> SiteLanguage? { all.first { $0.code == code } }

    /// The language of the article at `relative` (`a/b.ko.md` → `ko`, `a/b.md` → the
    /// default) and its path without the code (`a/b.md`), which its translations share.
    /// A code that is not one of the site's languages is part of the name (`v1.2.md`).
    public func split(_ relative: String) -> (path: String, language: String) {
        guard isMultilingual, relative.hasSuffix(".md") else { return (relative, defaultCode) }
        let stem = relative.dropLast(3)
        guard let dot = stem.lastIndex(of: "."), !stem[stem.index(after: dot)...].contains("/") else { return (relative, defaultCode) }
        let code = String(stem[stem.index(after: dot)...])
        guard language(code) != nil else { return (relative, defaultCode) }
        return (String(stem[..<dot]) + ".md", code)
    }

    /// The site path under which `code`'s pages live: `/` for the default, `/ko/` for
    /// another.
    public func root(_ code: String) -> String { code == defaultCode ? "/" : "/" + code + "/" }

    /// `path` (relative to the output folder, e.g. `feed.xml`) for `code`'s pages.
    public func path(_ path: String, in code: String) -> String { code == defaultCode ? path : code + "/" + path }

    /// The pages that have a version in another language, by translation key, each
    /// group in the order of the site's languages.
    func translations(of pages: some Sequence<Page>) -> [String: [Page]] {
        var groups: [String: [Page]] = [:]
        for page in pages { groups[page.translationKey, default: []].append(page) }
        let order = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        return groups.filter { $0.value.count > 1 }.mapValues { group in
            group.sorted { (order[$0.language] ?? .max, $0.url) < (order[$1.language] ?? .max, $1.url) }
        }
    }

    /// What `languages:` must look like, for messages.
    static let example = "languages: { en: { name: English }, ko: { name: 한국어, title: … } }"

    /// A language code as BCP 47 writes one: `ko`, `en`, `pt-BR`, `zh-Hant`.
    static func isCode(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.dropFirst().allSatisfy { part in (2...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    /// Reads `languages:` (a mapping of code to settings); the default language, `default`,
    /// comes first whether it is listed or not.
    static func read(_ node: YAMLTree?, default code: String, text: String) -> (Languages, [Diagnostic]) {
        var problems: [Diagnostic] = []
        var list = [SiteLanguage(code: code, name: code)]
        guard let node else { return (Languages(list), problems) }
        guard case .mapping(let pairs, _) = node else {
            return (Languages(list), [Diagnostic.error("'languages' must be a mapping of language codes to settings, e.g. \(example)", at: node.location).withSource(text)])
        }
        let keys = ["name", "title", "description", "author"]
        for pair in pairs {
            guard isCode(pair.key) else {
                problems.append(Diagnostic.error("'\(pair.key)' is not a language code (BCP 47, e.g. ko, en, pt-BR)", at: pair.keyLocation).withSource(text))
                continue
            }
            var language = SiteLanguage(code: pair.key, name: pair.key)
            if case .mapping(let settings, _) = pair.value {
                for setting in settings {
                    guard keys.contains(setting.key) else {
                        problems.append(Diagnostic.error("unknown language setting '\(setting.key)'\(SourceText.didYouMean(setting.key, in: keys)); settings: \(keys.joined(separator: ", "))",
                                                         at: setting.keyLocation).withSource(text))
                        continue
                    }
                    guard case .scalar(let v, _) = setting.value, let s = v.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                        problems.append(Diagnostic.error("'\(setting.key)' of language '\(pair.key)' must be text", at: setting.value.location).withSource(text))
                        continue
                    }
                    switch setting.key {
                    case "name": language.name = s
                    case "title": language.title = s
                    case "description": language.description = s
                    default: language.author = s
                    }
                }
            } else if case .scalar(let v, _) = pair.value, let name = v.stringValue, !name.isEmpty {
                language.name = name  // `ko: 한국어`
            } else if case .scalar(.null, _) = pair.value {
            } else {
                problems.append(Diagnostic.error("language '\(pair.key)' must be a mapping of settings (\(keys.joined(separator: ", "))) or its name",
                                                 at: pair.value.location).withSource(text))
                continue
            }
            if pair.key == code { list[0] = language } else if list.contains(where: { $0.code == pair.key }) {
                problems.append(Diagnostic.error("language '\(pair.key)' is listed twice", at: pair.keyLocation).withSource(text))
            } else {
                list.append(language)
            }
        }
        return (Languages(list), problems)
    }
}

/// The interface strings of each language, from `Templates/i18n/CODE.yaml`: what
/// templates read as `site.i18n`, and the words Dossier writes itself (figure captions,
/// chart descriptions, notes and references headings, dates), under `dossier:`.
struct UIStrings: Sendable, Equatable {
    /// Language code → its file's mapping, the default language's strings filling what a
    /// translation leaves out.
    var byLanguage: [String: [String: Value]] = [:]

    static let folder = "i18n"

    /// The strings of `code`: its own, the default language's beneath them.
    func strings(_ code: String) -> [String: Value] { byLanguage[code] ?? [:] }

    /// Reads `Templates/i18n/CODE.yaml` for each language; a file for a language the site
    /// does not have is reported, as is a translation that leaves out a string the default
    /// language has (the default's is used).
    static func load(templates: URL, languages: Languages, diagnostics: Diagnostics) -> UIStrings {
        let folder = templates.appendingPathComponent(Self.folder)
        let listing = FileTree.files(under: folder.path, extensions: ["yaml", "yml"])
        for (name, reason) in listing.skipped {
            diagnostics.add(.error(FileTree.explain(reason, "Templates/i18n/" + name), at: SourceLocation(path: "Templates/i18n/" + name, line: 1)))
        }
        var own: [String: [String: Value]] = [:]
        var files: [String: String] = [:]
        var trees: [String: YAMLTree] = [:], texts: [String: String] = [:]
        for name in listing.files.sorted() {
            let display = "Templates/i18n/" + name
            let code = String(name.split(separator: ".").first ?? "")
            guard !name.contains("/"), languages.language(code) != nil else {
                diagnostics.add(.warning("Templates/i18n/\(name) is for '\(code)', which is not one of the site's languages (\(languages.codes.joined(separator: ", "))): add it to 'languages' in site.yaml or remove the file",
                                         at: SourceLocation(path: display, line: 1)))
                continue
            }
            guard case .success(let text) = FileText.load(folder.appendingPathComponent(name).path) else {
                diagnostics.add(.error("cannot read \(display)", at: SourceLocation(path: display, line: 1)))
                continue
            }
            do throws(DiagnosticError) {
                let tree = try YAMLReader.parse(text, path: display)
                guard case .dictionary(let strings) = tree.value else {
                    diagnostics.add(Diagnostic.error("\(display) must be a mapping of names to strings, e.g. contents: 목차", at: tree.location).withSource(text))
                    continue
                }
                own[code] = strings
                files[code] = display
                trees[code] = tree
                texts[code] = text
            } catch {
                diagnostics.add(contentsOf: error.diagnostics)
            }
        }
        var result = UIStrings()
        let base = own[languages.defaultCode] ?? [:]
        for language in languages.all {
            let mine = own[language.code] ?? [:]
            let file = files[language.code] ?? "Templates/i18n/\(language.code).yaml"
            // Where a key of `dossier:` is written, for the message.
            func at(_ key: String?) -> SourceLocation {
                guard let tree = trees[language.code], let node = tree["dossier"] else { return SourceLocation(path: file, line: 1) }
                guard let key, case .mapping(let pairs, _) = node else { return node.location }
                return pairs.first { $0.key == key }?.keyLocation ?? node.location
            }
            func sourced(_ d: Diagnostic) -> Diagnostic { texts[language.code].map { d.withSource($0) } ?? d }
            if let node = mine["dossier"] {
                if case .dictionary(let d) = node {
                    for key in d.keys.sorted() where !builtInKeys.contains(key) {
                        diagnostics.add(sourced(.warning("Dossier writes no string 'dossier.\(key)'\(SourceText.didYouMean(key, in: builtInKeys)); its strings are listed in docs/templates.md",
                                                         at: at(key))))
                    }
                } else {
                    diagnostics.add(sourced(.error("'dossier' must be a mapping of Dossier's own strings, e.g. dossier: { figure: 그림 {n} }", at: at(nil))))
                }
            }
            // Dossier's own English would be left on a page in another language.
            if !language.code.hasPrefix("en"), languages.isMultilingual || own[language.code] != nil {
                let given: [String: Value]
                if case .dictionary(let d)? = mine["dossier"] { given = d } else { given = [:] }
                let missing = builtInKeys.filter { !$0.hasSuffix("_one") && given[$0] == nil }
                if !missing.isEmpty {
                    diagnostics.add(.warning("\(file) gives no 'dossier' string for \(missing.prefix(6).map { "'\($0)'" }.joined(separator: ", "))\(missing.count > 6 ? " and \(missing.count - 6) more" : ""): figures and notes on '\(language.code)' pages would be in English (docs/templates.md lists them)",
                                             at: SourceLocation(path: file, line: 1)))
                }
            }
            if language.code != languages.defaultCode, !base.isEmpty {
                let missing = Self.keyPaths(base).subtracting(Self.keyPaths(mine)).sorted()
                if !missing.isEmpty {
                    let file = files[language.code] ?? "Templates/i18n/\(language.code).yaml"
                    diagnostics.add(.warning("\(file) has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) (the \(languages.defaultCode) strings are used)",
                                             at: SourceLocation(path: file, line: 1)))
                }
            }
            result.byLanguage[language.code] = Self.merge(base, under: mine)
        }
        return result
    }

    /// Every key path of a mapping (`dossier.figure`).
    static func keyPaths(_ d: [String: Value], prefix: String = "") -> Set<String> {
        var out: Set<String> = []
        for (key, value) in d {
            if case .dictionary(let inner) = value { out.formUnion(keyPaths(inner, prefix: prefix + key + ".")) } else { out.insert(prefix + key) }
        }
        return out
    }

    static func merge(_ base: [String: Value], under own: [String: Value]) -> [String: Value] {
        var out = base
        for (key, value) in own {
            if case .dictionary(let inner) = value, case .dictionary(let under)? = base[key] { out[key] = .dictionary(merge(under, under: inner)) } else { out[key] = value }
        }
        return out
    }

    /// The keys of the strings Dossier writes itself (`dossier:`).
    static let builtInKeys = (ChartText.keys + MarkdownText.keys + siteKeys.keys).sorted()

    /// The site pages' titles, in English.
    static let siteKeys = ["references_title": "References", "tag_title": "Tagged “{tag}”", "not_found_title": "Page not found",
                           "wording_column": "{column} (source wording)", "moved": "This page has moved:"]

    /// One of the site's own strings (`siteKeys`) in `code`, `{name}`s filled in.
    func site(_ key: String, in code: String, _ arguments: [String: String] = [:]) -> String {
        var s = builtIn(code)[key] ?? Self.siteKeys[key] ?? key
        for (name, value) in arguments { s = s.replacingOccurrences(of: "{" + name + "}", with: value) }
        return s
    }

    /// The strings Dossier writes itself in `code` (`dossier:` in its file).
    func builtIn(_ code: String) -> [String: String] {
        guard case .dictionary(let d)? = strings(code)["dossier"] else { return [:] }
        return d.compactMapValues(\.stringValue)
    }
}
