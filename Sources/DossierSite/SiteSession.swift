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
    private let folder: LiveFolder
    /// The last good run; nil before the first.
    private var kept: BuildState?
    /// Counts the runs kept: a refresh made from an older one is not written. (Read from
    /// the refresh's thread too.)
    private let generation = Counter()
    /// The paths of the changes since the last good run: a run that fails leaves the
    /// kept state as it was, so the next one reads them again (a page that failed on an
    /// include it lacked, then the fragment created).
    private var unsettled: Set<String> = []

    /// The quick path left pages for later — the site's own pages, the feed and the
    /// sitemap, and pages no tab shows that the change reaches; `refreshSecondaryFiles`
    /// (or `prepareRefresh`) catches up.
    public var feedsStale: Bool { kept.map { $0.sitePagesStale || !$0.deferred.isEmpty } ?? false }

    public init(options: BuildOptions) {
        self.options = options
        folder = LiveFolder(options.output)
    }

    /// Builds everything and writes what differs from the output folder's contents.
    public func buildAll() -> Outcome {
        var state = BuildState(options: options, writer: nil, keepsRecords: true, checksEveryPage: true)
        let ran = run(&state, steps: BuildPipeline.Step.allCases)
        return keep(&state, ran)
    }

    /// Rebuilds after the files at `paths` (relative to the site folder, e.g.
    /// `Content/briefing.md`) changed, were created or were deleted. The pages read again
    /// and those open in a browser (`viewing`: site paths such as `/notes/`) are written
    /// before this returns; other pages the change reaches wait for the refresh. On error
    /// nothing is written and the kept state is as it was.
    public func update(_ paths: Set<String>, viewing: Set<String> = []) -> Outcome {
        let paths = paths.union(unsettled)
        let changes = ChangeSet(paths: paths)
        guard !changes.config, var state = kept else {
            let outcome = buildAll()
            unsettled = outcome.succeeded ? [] : paths
            return outcome
        }
        kept = nil  // changed in place, not copied (`beginRun`)
        let saved = state.beginRun()
        state.changes = changes
        state.checksEveryPage = false
        state.scope = .quick(viewing: viewing)
        state.previous = PreviousRun(records: nil, listing: state.listing, outputs: nil)
        let ran = changes.needsSitePagesNow ? run(&state, steps: BuildPipeline.Step.allCases) : runQuickPath(&state)
        let outcome = keep(&state, ran)
        if !ran.succeeded || !outcome.succeeded {
            state.rollBack(to: saved)
            kept = state
            unsettled = paths
        } else {
            unsettled = []
        }
        return outcome
    }

    /// What the quick path left, ready to be made on any thread (`Refresh.run`) while the
    /// preview goes on answering changes; nil when nothing waits.
    public func prepareRefresh() -> Refresh? {
        guard var state = kept, feedsStale else { return nil }
        state.changes = ChangeSet(paths: [])
        state.scope = .deferred
        state.previous = PreviousRun(records: nil, listing: state.listing, outputs: nil)
        return Refresh(session: self, state: state, generation: generation.value)
    }

    /// The pages the quick path left, the site's own pages, the feed and the sitemap, made
    /// from one kept run. `run` may be called on any thread; `SiteSession.commit` writes
    /// the result, unless a newer run was kept meanwhile.
    public final class Refresh: @unchecked Sendable {
        let session: SiteSession
        var state: BuildState
        let generation: Int
        fileprivate var result: Ran?

        init(session: SiteSession, state: BuildState, generation: Int) {
            self.session = session
            self.state = state
            self.generation = generation
        }

        /// Makes the files; `shouldStop` is asked between steps (a newer change waiting).
        public func run(shouldStop: (@Sendable () -> Bool)? = nil) {
            state.shouldStop = shouldStop
            result = session.run(&state, steps: [.renderPages, .sitePages, .assemble, .check, .write])
        }

        /// Still from the latest run.
        public var isCurrent: Bool { session.generation.value == generation }
    }

    /// Writes what a refresh made if it is still current; returns the paths it changed.
    @discardableResult
    public func commit(_ refresh: Refresh) -> [String] {
        guard refresh.isCurrent, let result = refresh.result, result.succeeded else { return [] }
        return keep(&refresh.state, result).changedFiles
    }

    /// `prepareRefresh`, run and commit, on this thread.
    @discardableResult
    public func refreshSecondaryFiles() -> [String] {
        guard let refresh = prepareRefresh() else { return [] }
        refresh.run()
        return commit(refresh)
    }

    /// A run's writer (holding its files, not yet written) and outcome.
    fileprivate struct Ran {
        var writer: OutputWriter
        var outcome: Outcome
        var succeeded: Bool
    }

    /// Runs `steps` on `state` with a writer of its own; nothing is written yet.
    fileprivate func run(_ state: inout BuildState, steps: [BuildPipeline.Step]) -> Ran {
        run(&state) { state throws(DiagnosticError) in
            state.checksSitePages = true
            try BuildPipeline.run(steps, on: &state)
        }
    }

    /// An article edit's quick path: the site's own pages wait for the refresh, unless a
    /// page went away (known only once loaded).
    private func runQuickPath(_ state: inout BuildState) -> Ran {
        run(&state) { state throws(DiagnosticError) in
            try BuildPipeline.run([.load, .parse], on: &state)
            var rest: [BuildPipeline.Step] = [.resolveData, .renderPages]
            if state.pagesRemoved {
                state.checksSitePages = true
                rest += [.sitePages, .assemble, .check, .write]
            } else {
                state.sitePagesStale = true  // made after the reload (the refresh)
                state.checksSitePages = false
                rest += [.assemble, .check, .write]
            }
            try BuildPipeline.run(rest, on: &state)
        }
    }

    private func run(_ state: inout BuildState, _ steps: (inout BuildState) throws(DiagnosticError) -> Void) -> Ran {
        let clock = ContinuousClock()
        let began = clock.now
        let writer = OutputWriter(live: folder)
        state.writer = writer
        state.diagnostics = Diagnostics()
        state.makeRenderer()
        do throws(DiagnosticError) {
            try steps(&state)
            let rendered = state.renderedPages.count + (state.checksSitePages ? state.extra.count : 0)
            return Ran(writer: writer, outcome: Outcome(diagnostics: state.diagnostics.all, changedFiles: [], renderedPages: rendered,
                                                        elapsed: clock.now - began), succeeded: true)
        } catch {
            return Ran(writer: writer, outcome: Outcome(diagnostics: error.diagnostics, changedFiles: [], renderedPages: 0,
                                                        elapsed: clock.now - began), succeeded: false)
        }
    }

    /// Writes a successful run's files and keeps its state.
    private func keep(_ state: inout BuildState, _ ran: Ran) -> Outcome {
        var outcome = ran.outcome
        guard ran.succeeded else { return outcome }
        do throws(DiagnosticError) {
            try ran.writer.commit(keeping: state.sitePagesStale ? nil : state.paths)
        } catch {
            outcome.diagnostics += error.diagnostics
            return outcome
        }
        state.writer = nil
        state.changes = nil
        state.shouldStop = nil
        state.commitRun()
        kept = state
        _ = generation.increment()
        outcome.changedFiles = ran.writer.takeChanged()
        return outcome
    }
}
