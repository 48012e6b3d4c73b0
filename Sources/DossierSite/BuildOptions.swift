import DossierCore
import Foundation

/// What `dossier build` was asked to do.
public struct BuildOptions: Sendable {
    public var site: URL
    public var output: URL
    public var drafts: Bool
    public var strict: Bool
    /// Overrides `base_url` from site.yaml (e.g. for GitHub Pages).
    public var baseURL: String?
    public var threads: Int
    /// Include pages dated after `now`.
    public var future: Bool
    /// Include pages whose `expires` date has passed.
    public var expired = false
    /// "Now" for hiding future-dated pages: `SOURCE_DATE_EPOCH` when set, else the clock.
    /// It decides which pages are published; no output contains it.
    public var now: Date
    /// Called as pages are rendered: (done, total). May be called from any thread.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Reuse what the previous build into the same output learnt (see `BuildCache`);
    /// `dossier build --no-cache` turns it off.
    public var cache = true
    /// What `changes` compares with: a deployed site's URL or a folder holding a build's
    /// `manifest.json` and `data/` (nil: the previous output in `output`).
    public var baseline: String?
    /// Never fetch remote datasets: build with the kept (or shipped) copies.
    public var offline = false
    /// Write the PDF edition (`--pdf`; also `pdf: true` in site.yaml).
    public var pdf = false
    /// A PDF edition with at least this many characters of text is laid out in parts at
    /// once when `threads` allows (see `PDFEdition.parts`); tests lower it.
    var pdfPartLength = PDFEdition.partLength
    /// Per attempt, and how many more attempts, for each remote dataset.
    var fetchTimeout: TimeInterval = 20
    var fetchRetries = 2
    /// What `${NAME}` in a remote dataset's `url:` reads.
    var environment = ProcessInfo.processInfo.environment
    /// When another build holds the output folder's lock: wait for it (`true`), or fail
    /// at once (`dossier build --no-wait`).
    public var waitForLock = true
    /// Told once when the build has to wait for another one's lock.
    public var lockWaiting: (@Sendable (String) -> Void)?

    public init(site: URL, output: URL? = nil, drafts: Bool = false, strict: Bool = false, baseURL: String? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, future: Bool = false, now: Date? = nil,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.site = site.standardizedFileURL
        self.output = (output ?? site.appendingPathComponent("Output")).standardizedFileURL
        self.drafts = drafts
        self.strict = strict
        self.baseURL = baseURL
        self.threads = max(1, threads)
        self.future = future
        self.now = now ?? BuildOptions.sourceDateEpoch() ?? Date()
        self.progress = progress
    }

    /// `SOURCE_DATE_EPOCH` (reproducible-builds.org), if set to a number of seconds.
    static func sourceDateEpoch() -> Date? {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], sourceDateEpochProblem() == nil else { return nil }
        return Int64(text).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// Why `SOURCE_DATE_EPOCH` cannot be used, when it is set: the specification asks for
    /// a whole number of seconds since 1970 in decimal digits, and a build that quietly
    /// fell back to the clock would publish the wrong pages.
    static func sourceDateEpochProblem() -> String? {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] else { return nil }
        guard !text.isEmpty, text.utf8.count <= 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return "SOURCE_DATE_EPOCH is '\(TerminalText.safe(text))', not a whole number of seconds since 1970 (e.g. 1748736000); set it right or unset it"
        }
        return nil
    }

    var content: URL { site.appendingPathComponent("Content") }
    var contentPath: String { site.path + "/Content" }
    var templates: URL { site.appendingPathComponent("Templates") }
}

/// What a finished build reports.
public struct BuildReport: Sendable {
    public var pagesWritten: Int
    public var filesWritten: Int
    public var elapsed: Duration
    public var warnings: [Diagnostic]
    public var output: URL
    /// What changed against the previous output's manifest, or the baseline's (nil on a
    /// first build, or when the baseline could not be read: then a warning says why).
    public var changes: ChangeReport?
    /// Articles whose HTML was taken unchanged from the previous build (build cache).
    public var pagesReused = 0
    /// Articles left out because they are drafts, dated in the future or expired (see
    /// `drafts`, `future`, `expired`).
    public var pagesHeldBack = 0
    /// The PDF edition: nil when none was asked for; true when the previous build's PDF was
    /// kept because it was made from the same sources, false when the engine made it.
    public var pdfKept: Bool?
}
