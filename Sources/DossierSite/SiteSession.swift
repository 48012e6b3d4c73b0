import DossierCore
import DossierTemplates
import Foundation

/// A site kept in memory between runs of the pipeline, so that a change redoes only what
/// it affects (`RebuildPlan`: the same rules as the build cache's): an edited article
/// re-renders that page and, if what lists show of it changed, the pages whose layouts
/// read the page lists; a template change re-renders the pages whose layouts use it; a
/// data change re-renders the pages that draw from data. Only files whose bytes changed
/// are written (`OutputWriter`, live). Used by `dossier serve`; not thread-safe — call it
/// from one queue.
public final class SiteSession: @unchecked Sendable {
    /// What one (re)build did.
    public struct Outcome: Sendable {
        public var diagnostics: [Diagnostic]
        /// Output paths written or removed.
        public var changedFiles: [String]
        /// Pages whose templates were rendered.
        public var renderedPages: Int
        public var elapsed: Duration
        public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
        /// Only stylesheets changed: a browser can swap them without reloading.
        public var stylesheetsOnly: Bool {
            !changedFiles.isEmpty && changedFiles.allSatisfy { $0.hasSuffix(".css") }
        }
    }

    public let options: BuildOptions
    private let writer: OutputWriter
    /// The last good run; nil before the first.
    private var kept: BuildState?
    /// The quick path skipped the site's own pages, the feed and the sitemap;
    /// `refreshSecondaryFiles` catches up.
    public var feedsStale: Bool { kept?.sitePagesStale ?? false }

    public init(options: BuildOptions) {
        self.options = options
        writer = OutputWriter(live: options.output)
    }

    /// Builds everything and writes what differs from the output folder's contents.
    public func buildAll() -> Outcome {
        let state = BuildState(options: options, writer: writer, keepsRecords: true, checksEveryPage: true)
        return run(state, steps: BuildPipeline.Step.allCases)
    }

    /// Rebuilds after the files at `paths` (relative to the site folder, e.g.
    /// `Content/briefing.md`) changed, were created or were deleted. On error nothing is
    /// written: the last good site stays in place.
    public func update(_ paths: Set<String>) -> Outcome {
        let changes = ChangeSet(paths: paths)
        guard var state = kept, !changes.config else { return buildAll() }
        state.diagnostics = Diagnostics()
        state.changes = changes
        state.checksEveryPage = false
        state.previous = PreviousRun(records: state.records, listing: state.listing, outputs: writer.heldDigests)
        // The quick path: the edited pages now, the rest just after the reload.
        var steps: [BuildPipeline.Step] = [.load, .parse, .resolveData, .renderPages]
        let now = changes.needsSitePagesNow(pagesRemoved: false)
        steps += now ? [.sitePages, .assemble, .check, .write] : [.check, .write]
        return run(state, steps: steps, quick: !now)
    }

    /// Rewrites what the quick path leaves behind — the site's own pages (the print view
    /// holds every article), the feed and the sitemap — after the preview has told the
    /// browser to reload, so they never delay the reload.
    @discardableResult
    public func refreshSecondaryFiles() -> [String] {
        guard var state = kept, state.sitePagesStale else { return [] }
        state.diagnostics = Diagnostics()
        state.changes = ChangeSet(paths: [])
        state.renderedPages = []
        return run(state, steps: [.sitePages, .assemble, .check, .write]).changedFiles
    }

    private func run(_ start: BuildState, steps: [BuildPipeline.Step], quick: Bool = false) -> Outcome {
        let clock = ContinuousClock()
        let began = clock.now
        var state = start
        writer.discardPending()
        do throws(DiagnosticError) {
            if quick {
                // Load and parse first: a page that went away needs the full path.
                state.pagesRemoved = false
                try BuildPipeline.run([.load, .parse], on: &state)
                let removed = state.pagesRemoved
                var rest: [BuildPipeline.Step] = [.resolveData, .renderPages]
                rest += removed ? [.sitePages, .assemble, .check, .write] : [.assemble, .check, .write]
                if !removed {
                    state.sitePagesStale = true  // made after the reload (`refreshSecondaryFiles`)
                    state.checksSitePages = false
                }
                try BuildPipeline.run(rest, on: &state)
            } else {
                state.checksSitePages = true
                try BuildPipeline.run(steps, on: &state)
            }
            state.changes = nil
            kept = state
            let rendered = state.renderedPages.count + (steps.contains(.sitePages) || !state.sitePagesStale ? state.extra.count : 0)
            return Outcome(diagnostics: state.diagnostics.all, changedFiles: writer.takeChanged(), renderedPages: rendered,
                           elapsed: clock.now - began)
        } catch {
            writer.discardPending()
            return Outcome(diagnostics: error.diagnostics, changedFiles: [], renderedPages: 0, elapsed: clock.now - began)
        }
    }
}
