import DossierCore

/// Options that change how Markdown becomes HTML.
public struct MarkdownOptions: Sendable, Hashable {
    /// Pass authors' raw HTML through. Off by default: raw HTML is replaced by a comment
    /// and `javascript:` links are blanked (cmark's safe mode).
    public var allowRawHTML: Bool
    /// Curly quotes and dashes.
    public var smartPunctuation: Bool

    /// Root-relative link and image URLs get the base path (`/data/` → `/briefing/data/`)
    /// when the site is served from a sub-path.
    public var urls: SiteURLs
    /// Dossier's syntax beyond CommonMark; all of it by default.
    public var extensions: MarkdownExtensions
    /// The words the renderer writes itself, in the page's language.
    public var text = MarkdownText()

    public init(allowRawHTML: Bool = false, smartPunctuation: Bool = true, urls: SiteURLs = SiteURLs(baseURL: "/"),
                extensions: MarkdownExtensions = .all) {
        self.allowRawHTML = allowRawHTML
        self.smartPunctuation = smartPunctuation
        self.urls = urls
        self.extensions = extensions
    }
}

/// The words the Markdown renderer writes itself: the notes section's heading and its
/// back links' labels (`{n}`: the note's number). English unless the site's strings for
/// the page's language say otherwise (`dossier:` in `Templates/i18n/CODE.yaml`).
public struct MarkdownText: Sendable, Hashable {
    public var notesTitle = "Notes"
    public var backToReference = "Back to reference {n}"
    /// The name a callout shows, by its class (`key-finding` → "Key finding").
    public var calloutLabels: [String: String] = [:]

    public static let keys = ["notes_title", "back_to_reference"] + Callouts.classes.map { "callout_" + $0.replacingOccurrences(of: "-", with: "_") }

    public init(_ strings: [String: String] = [:]) {
        if let s = strings["notes_title"] { notesTitle = s }
        if let s = strings["back_to_reference"] { backToReference = s }
        for cls in Callouts.classes {
            if let s = strings["callout_" + cls.replacingOccurrences(of: "-", with: "_")] { calloutLabels[cls] = s }
        }
    }
}

/// Syntax beyond CommonMark, each part on by default and turned off in `site.yaml`
/// (`markdown: { tables: false }`).
public struct MarkdownExtensions: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// GFM pipe tables.
    public static let tables = MarkdownExtensions(rawValue: 1 << 0)
    /// `~~struck~~` (GFM).
    public static let strikethrough = MarkdownExtensions(rawValue: 1 << 1)
    /// `www.` and `https://` addresses and e-mail addresses in text become links (GFM).
    public static let autolinks = MarkdownExtensions(rawValue: 1 << 2)
    /// `- [ ]` and `- [x]` list items (GFM), rendered as disabled checkboxes.
    public static let taskLists = MarkdownExtensions(rawValue: 1 << 3)
    /// GFM's tag filter: with raw HTML allowed, `<script>`, `<style>`, `<iframe>` and the
    /// other tags that would take over the page are escaped.
    public static let tagFilter = MarkdownExtensions(rawValue: 1 << 4)
    /// `[^label]` references and `[^label]: …` notes, gathered at the end of the page.
    public static let footnotes = MarkdownExtensions(rawValue: 1 << 5)
    /// `> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`, `[!KEY FINDING]`,
    /// `[!METHOD]` block quotes, as asides.
    public static let callouts = MarkdownExtensions(rawValue: 1 << 6)
    /// `## Title {#id .class}`.
    public static let headingAttributes = MarkdownExtensions(rawValue: 1 << 7)
    /// A term's line followed by `: definition` lines.
    public static let definitionLists = MarkdownExtensions(rawValue: 1 << 8)

    public static let all: MarkdownExtensions = [.tables, .strikethrough, .autolinks, .taskLists, .tagFilter, .footnotes, .callouts,
                                                 .headingAttributes, .definitionLists]

    /// Their names in `site.yaml`'s `markdown:` mapping.
    public static let names: [(name: String, extension: MarkdownExtensions)] = [
        ("tables", .tables), ("strikethrough", .strikethrough), ("autolinks", .autolinks), ("task_lists", .taskLists),
        ("tag_filter", .tagFilter), ("footnotes", .footnotes), ("callouts", .callouts), ("heading_attributes", .headingAttributes),
        ("definition_lists", .definitionLists),
    ]
}

/// A fenced block whose info string names a directive (```` ```chart ````, ```` ```table ````);
/// its YAML body is resolved at build time into trusted HTML.
public struct Directive: Sendable, Hashable {
    public var kind: String
    public var body: String
    /// Where the opening fence is.
    public var location: SourceLocation
    /// The file line of the body's first line.
    public var bodyFirstLine: Int

    public init(kind: String, body: String, location: SourceLocation, bodyFirstLine: Int) {
        self.kind = kind
        self.body = body
        self.location = location
        self.bodyFirstLine = bodyFirstLine
    }

    /// The info strings that make a fenced block a directive.
    /// (`include` blocks are expanded before the Markdown is parsed; one left, inside a
    /// list or quote, is handed over to be reported.)
    public static let kinds: Set<String> = ["chart", "table", "include"]
}

/// What a directive block became: its HTML and, when it has a `label:`, what a
/// cross-reference to it says ("Figure 2", or "2" alone) and where it leads.
public struct DirectiveOutput: Sendable, Hashable, ExpressibleByStringLiteral {
    public var html: String
    /// `fig-adoption`: the figure's id, and the name `@fig-adoption` uses.
    public var label: String?
    /// "Figure" or "Table".
    public var kind: String
    public var number: Int
    /// How a cross-reference names it ("Figure 1", "그림 1"); kind and number when nil.
    public var name: String?

    public init(html: String, label: String? = nil, kind: String = "Figure", number: Int = 0, name: String? = nil) {
        self.html = html
        self.label = label
        self.kind = kind
        self.number = number
        self.name = name
    }

    public init(stringLiteral html: String) { self.init(html: html) }
}

/// Resolves a relative link or image URL written in a page's Markdown (`map.png`,
/// `../methods.md#sampling`) to the site path of what it points at (`/notes/map.png`,
/// `/methods/#sampling`); nil leaves it as written.
public struct RelativeLinks: Sendable {
    let resolve: @Sendable (String) -> String?

    public init(_ resolve: @escaping @Sendable (String) -> String?) { self.resolve = resolve }

    func callAsFunction(_ url: String) -> String? { resolve(url) }
}

/// A heading as the table of contents and anchor checks see it.
public struct Heading: Sendable, Hashable {
    public var level: Int
    public var id: String
    public var text: String
    public var line: Int

    public init(level: Int, id: String, text: String, line: Int) {
        self.level = level
        self.id = id
        self.text = text
        self.line = line
    }
}

/// A link or image in the text, for link checking.
public struct LinkReference: Sendable, Hashable {
    public var url: String
    public var isImage: Bool
    /// The image's alt text (its inline text), empty for links.
    public var text: String
    public var location: SourceLocation

    public init(url: String, isImage: Bool, text: String, location: SourceLocation) {
        self.url = url
        self.isImage = isImage
        self.text = text
        self.location = location
    }
}

/// What rendering one Markdown body produces.
public struct RenderedMarkdown: Sendable {
    public var html: String
    /// Every heading, in order, with its unique id.
    public var headings: [Heading]
    public var links: [LinkReference]
    /// Syntax found but not understood, and footnotes that do not match, located.
    public var warnings: [Diagnostic] = []
    /// The first paragraph of more than eight words, as plain text: the default summary.
    public var firstParagraph: String
    public var wordCount: Int
    /// The bibliography keys cited, in order of first citation.
    public var cited: [String] = []

    public init(html: String, headings: [Heading], links: [LinkReference], firstParagraph: String, wordCount: Int) {
        self.html = html
        self.headings = headings
        self.links = links
        self.firstParagraph = firstParagraph
        self.wordCount = wordCount
    }

    /// Headings of levels 2 and 3: the table of contents.
    public var tableOfContents: [Heading] { headings.filter { (2...3).contains($0.level) } }
}
