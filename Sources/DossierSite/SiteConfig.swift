import DossierCite
import DossierCore
import DossierMarkdown
import Foundation

/// `Content/site.yaml`: the site's identity and settings. Unknown keys are kept and
/// reachable from templates as `site.KEY`.
public struct SiteConfig: Sendable {
    public var title: String
    public var baseURL: String
    public var language: String
    public var description: String
    public var author: String
    /// `markdown: { raw_html: true }` lets authors' raw HTML through.
    public var allowRawHTML: Bool
    public var smartPunctuation: Bool
    /// Syntax beyond CommonMark (`markdown: { tables: false, … }` turns parts off).
    public var markdownExtensions: MarkdownExtensions = .all
    /// How many of the newest pages the Atom feed carries.
    public var feedLimit: Int = 50
    /// How citations and reference lists are set (`citation_style:`; a page's front
    /// matter may choose another).
    public var citationStyle: CitationStyle = .authorDate
    /// Every key of the file, for templates.
    public var values: [String: Value]
    /// `pdf: true` (or `pdf: { file: NAME.pdf }`): every build writes the PDF edition.
    public var pdf = false
    /// The PDF's file name in the output (`pdf.file`; default: the title's slug).
    public var pdfFile: String?
    /// The languages the site is published in (`languages:`), `language` first.
    public var languages = Languages.single("en")

    public static let fileName = "site.yaml"

    public init(title: String = "Untitled", baseURL: String = "/", language: String = "en", description: String = "",
                author: String = "", allowRawHTML: Bool = false, smartPunctuation: Bool = true, values: [String: Value] = [:]) {
        self.title = title
        self.baseURL = baseURL
        self.language = language
        self.description = description
        self.author = author
        self.allowRawHTML = allowRawHTML
        self.smartPunctuation = smartPunctuation
        self.values = values
    }

    /// Reads the config; a missing file is an error (every site names itself).
    static func load(text: String, path: String) throws(DiagnosticError) -> SiteConfig {
        let tree = try YAMLReader.parse(text, path: path)
        guard case .mapping = tree else {
            throw DiagnosticError(Diagnostic.error("site.yaml must be a mapping of settings", at: tree.location).withSource(text))
        }
        var problems: [Diagnostic] = []
        func string(_ key: String, required: Bool = false) -> String? {
            guard let node = tree[key] else {
                if required { problems.append(Diagnostic.error("site.yaml needs a '\(key)'", at: SourceLocation(path: path, line: 1)).withSource(text)) }
                return nil
            }
            guard case .scalar(let v, let loc) = node, let s = v.stringValue ?? (v.numberValue.map { Value.format($0) }) else {
                problems.append(Diagnostic.error("'\(key)' must be text", at: node.location).withSource(text))
                return nil
            }
            if s.trimmingCharacters(in: .whitespaces).isEmpty && required {
                problems.append(Diagnostic.error("'\(key)' must not be empty", at: loc).withSource(text))
            }
            return s
        }
        var config = SiteConfig()
        config.values = tree.value.dictionaryValue ?? [:]
        config.title = string("title", required: true) ?? "Untitled"
        if let base = string("base_url") ?? string("baseURL") {
            if let problem = URLPath.baseURLProblem(base) {
                let node = tree["base_url"] ?? tree["baseURL"]!
                problems.append(Diagnostic.error("'base_url' \(problem)", at: node.location).withSource(text))
            }
            config.baseURL = base.hasSuffix("/") ? base : base + "/"
        }
        config.language = string("language") ?? "en"
        if let node = tree["language"], !Languages.isCode(config.language) {
            problems.append(Diagnostic.error("'language' must be a language code (BCP 47, e.g. en, ko, pt-BR), got '\(config.language)'", at: node.location).withSource(text))
        }
        let (languages, languageProblems) = Languages.read(tree["languages"], default: config.language, text: text)
        config.languages = languages
        problems += languageProblems
        config.description = string("description") ?? ""
        config.author = string("author") ?? ""
        if let node = tree["feed_limit"] {
            if case .number(let n) = node.value, n >= 1, n == n.rounded() { config.feedLimit = Int(n) } else {
                problems.append(Diagnostic.error("'feed_limit' must be a whole number of at least 1", at: node.location).withSource(text))
            }
        }
        if let markdown = tree["markdown"] { problems += config.readMarkdownSettings(markdown, text: text) }
        if let node = tree["citation_style"] {
            switch SiteConfig.citationStyle(node.value) {
            case .success(let style): config.citationStyle = style
            case .failure(let problem): problems.append(Diagnostic.error(problem.message, at: node.location).withSource(text))
            }
        }
        if let node = tree["pdf"] {
            switch node.value {
            case .bool(let on): config.pdf = on
            case .dictionary:
                if case .bool(let on)? = node["enabled"]?.value { config.pdf = on } else { config.pdf = true }
                if let file = node["file"] {
                    let name = file.value.stringValue ?? ""
                    let safe = name.lowercased().hasSuffix(".pdf") && !name.contains("/") && !name.hasPrefix(".")
                    if safe { config.pdfFile = name } else {
                        problems.append(Diagnostic.error("'pdf.file' must be a file name ending in .pdf, e.g. briefing.pdf", at: file.location).withSource(text))
                    }
                }
            default:
                problems.append(Diagnostic.error("'pdf' must be true, false, or a mapping such as { file: briefing.pdf }", at: node.location).withSource(text))
            }
        }
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return config
    }

    /// `citation_style:` (in site.yaml or front matter): `chicago-author-date` (also
    /// `author-date`, the default) or `numeric`.
    static func citationStyle(_ value: Value) -> Result<CitationStyle, CitationStyleProblem> {
        let names = CitationStyle.allCases.map(\.rawValue) + ["author-date"]
        guard let name = value.stringValue, names.contains(name) else {
            let given = value.stringValue ?? value.text
            return .failure(CitationStyleProblem("unknown citation_style '\(given)'\(SourceText.didYouMean(given, in: names)); styles: chicago-author-date (the default), numeric"))
        }
        return .success(name == "author-date" ? .authorDate : CitationStyle(rawValue: name)!)
    }

    struct CitationStyleProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// `markdown:`: each key a known setting, each value true or false.
    private mutating func readMarkdownSettings(_ node: YAMLTree, text: String) -> [Diagnostic] {
        guard case .mapping(let pairs, _) = node else {
            return [Diagnostic.error("'markdown' must be a mapping of settings, e.g. { tables: false }", at: node.location).withSource(text)]
        }
        let names = ["raw_html", "smart_punctuation"] + MarkdownExtensions.names.map(\.name)
        var problems: [Diagnostic] = []
        for pair in pairs {
            guard names.contains(pair.key) else {
                problems.append(Diagnostic.error("unknown Markdown setting '\(pair.key)'\(SourceText.didYouMean(pair.key, in: names)); settings: \(names.joined(separator: ", "))",
                                                 at: pair.keyLocation).withSource(text))
                continue
            }
            guard case .scalar(.bool(let on), _) = pair.value else {
                problems.append(Diagnostic.error("'markdown: \(pair.key)' must be true or false", at: pair.value.location).withSource(text))
                continue
            }
            switch pair.key {
            case "raw_html": allowRawHTML = on
            case "smart_punctuation": smartPunctuation = on
            default:
                let part = MarkdownExtensions.names.first { $0.name == pair.key }!.extension
                if on { markdownExtensions.insert(part) } else { markdownExtensions.remove(part) }
            }
        }
        return problems
    }

    /// How the articles' Markdown is rendered, for pages at `urls`.
    public func markdownOptions(urls: SiteURLs) -> MarkdownOptions {
        MarkdownOptions(allowRawHTML: allowRawHTML, smartPunctuation: smartPunctuation, urls: urls, extensions: markdownExtensions)
    }

    /// The value templates see as `site`.
    /// Where the site's pages and files are on the web.
    public var urls: SiteURLs { SiteURLs(baseURL: baseURL) }

    /// The site's title, description and author in `code` (the site's own where the
    /// language gives none).
    func title(in code: String) -> String { languages.language(code)?.title ?? title }
    func description(in code: String) -> String { languages.language(code)?.description ?? description }
    func author(in code: String) -> String { languages.language(code)?.author ?? author }

    /// `site` for the pages in `code` (the default language unless given): its title,
    /// its pages and tags, its interface strings (`site.i18n`) and the site's languages.
    func templateValue(pages: [Value], tags: [String: Value], data: [String: Value], references: [Value] = [],
                       language code: String? = nil, strings: [String: Value] = [:]) -> Value {
        let code = code ?? language
        var d = values
        d["references"] = .array(references)
        d["title"] = .string(title(in: code))
        d["base_url"] = .string(baseURL)
        d["language"] = .string(code)
        d["default_language"] = .string(language)
        d["root"] = .string(languages.root(code))
        d["languages"] = .array(languages.all.map { l in
            .dictionary(["code": .string(l.code), "name": .string(l.name), "title": .string(l.title ?? title),
                         "url": .string(urls.url(languages.root(l.code))), "current": .bool(l.code == code)])
        })
        d["i18n"] = .dictionary(strings)
        d["description"] = .string(description(in: code))
        d["author"] = .string(author(in: code))
        d["pages"] = .array(pages)
        d["tags"] = .dictionary(tags)
        d["data"] = .dictionary(data)
        // The PDF edition's address, for "Download PDF" links and `citation_pdf_url`.
        d["pdf_url"] = pdf ? .string(urls.url("/" + URLPath.encode(PDFEdition.fileName(self, language: code)))) : .null
        d["feed_url"] = .string(urls.url("/" + languages.path("feed.xml", in: code)))
        // The site's share card (`ShareCards`), for pages without a chart of their own.
        d["share_image"] = .string(urls.url("/" + ShareCards.siteCard(self, language: code)))
        return .dictionary(d)
    }
}
