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

    public init(allowRawHTML: Bool = false, smartPunctuation: Bool = true, urls: SiteURLs = SiteURLs(baseURL: "/")) {
        self.allowRawHTML = allowRawHTML
        self.smartPunctuation = smartPunctuation
        self.urls = urls
    }
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
    public static let kinds: Set<String> = ["chart", "table"]
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
    /// The first paragraph of more than eight words, as plain text: the default summary.
    public var firstParagraph: String
    public var wordCount: Int

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
