import DossierCharts
import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// `dossier build`: the whole pipeline (`BuildPipeline`) into a staging folder swapped
/// in at the end, one build at a time per output folder, reusing what the build cache
/// says still holds, and reporting what changed against the previous output.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) throws(DiagnosticError) -> BuildReport {
        try build(options, files: POSIXFiles())
    }

    /// `files`: where the bytes go (tests supply one that fails).
    static func build(_ options: BuildOptions, files: FileWriting) throws(DiagnosticError) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        Trace.begin()
        // One build at a time per output folder, from the first read of the previous
        // output to the last write of the cache.
        let lock = try OutputLock(output: options.output, wait: options.waitForLock, waiting: { options.lockWaiting?($0) })
        defer { lock.release() }
        // The previous manifest, read once: the changes report and the build cache need it.
        let previousBytes = FileText.bytes(options.output.appendingPathComponent(Manifest.fileName).path)
        let previous = previousBytes.flatMap(Manifest.parse)
        let previousData = previous.map { previousDatasets(in: options.output, manifest: $0) } ?? [:]
        // Pages go to the staging folder as soon as they are rendered; nothing reaches the
        // output folder unless the whole build succeeds.
        let writer = try OutputWriter(staging: options.output, files: files)
        let cacheKey = options.cache ? BuildCache.key(options: options) : nil
        var state = BuildState(options: options, writer: writer, keepsRecords: cacheKey != nil)
        state.oneOff = true
        // The live site, read first: its published data date remote datasets whose bytes it already had.
        let baseline = options.baseline.map(Baseline.load)
        if case .success(let published)? = baseline { state.baselineData = published.data }
        if let cacheKey, let previous, let previousBytes, let cache = BuildCache.read(for: options.output),
            cache.key == cacheKey, cache.manifest == SHA256.hex(previousBytes) {
            state.previous = PreviousRun(records: cache.entries, listing: cache.listing, outputs: previous.files, routes: cache.routes)
        }
        Trace.step("staging and build cache ready", since: start)
        try BuildPipeline.run(BuildPipeline.Step.allCases, on: &state)
        if let cacheKey, let manifest = state.manifest {
            let cacheStart = clock.now
            let clean = state.records.dictionary.filter { $0.value.clean }
            BuildCache(key: cacheKey, listing: state.listing, manifest: SHA256.hex(Array(manifest.json.utf8)), entries: clean,
                       routes: state.contentIndex.routes)
                .write(for: options.output)
            Trace.step("cache written", since: cacheStart)
        }
        var warnings = state.diagnostics.warnings
        var changes: ChangeReport?
        if let baseline {
            // The live site (or a folder): a baseline that cannot be read is a warning, not a failed build.
            switch baseline {
            case .success(let published):
                changes = ChangeReport.compare(old: published.manifest, new: state.manifest!, oldData: published.data, newData: publishedData(state.data))
            case .failure(let problem):
                warnings.append(.warning("no changes report: the baseline could not be read (\(problem.message))"))
            }
        } else {
            changes = previous.map { ChangeReport.compare(old: $0, new: state.manifest!, oldData: previousData, newData: publishedData(state.data)) }
        }
        var report = BuildReport(pagesWritten: state.pages.count + state.extra.count, filesWritten: state.paths.count + 1, elapsed: clock.now - start,
                                 warnings: warnings, output: options.output, changes: changes)
        report.pagesReused = state.pagesReused
        report.pagesHeldBack = max(0, state.contentIndex.articles.count - state.pages.count)
        report.pdfKept = state.pdfKept
        return report
    }

    static func publishedData(_ data: DataCatalog) -> [String: Value] {
        data.datasets.mapValues { DataExport.value($0, scales: data.scales, urls: nil) }
    }

    /// The datasets a previous build published, read back from its `data/*.json`.
    static func previousDatasets(in output: URL, manifest: Manifest) -> [String: Value] {
        var data: [String: Value] = [:]
        for path in manifest.files.keys where path.hasPrefix("data/") && path.hasSuffix(".json") {
            guard let bytes = FileManager.default.contents(atPath: output.appendingPathComponent(path).path),
                let text = String(data: bytes, encoding: .utf8), let tree = try? YAMLReader.parse(text, path: path)
            else { continue }
            data[String(path.dropFirst(5).dropLast(5))] = tree.value
        }
        return data
    }
}

/// `dossier check`: every step of a build but writing.
public enum SiteChecker {
    public struct Result: Sendable {
        public var problems: [Diagnostic]
        public var pages: Int
        /// What `external` found (`ExternalLinks`): errors are broken links, warnings
        /// links not confirmed (a 429, a 403, a timeout) or moved.
        public var external: [Diagnostic] = []
    }

    /// `external`: also ask for every external link and image the Markdown holds.
    public static func check(_ options: BuildOptions, external: Bool = false) -> Result {
        var state = BuildState(options: options, writer: nil, keepsRecords: false)
        state.oneOff = true
        do throws(DiagnosticError) {
            try BuildPipeline.run(BuildPipeline.Step.allCases.filter { $0 != .write }, on: &state)
            // Translations missing, or links that leave the reader's language.
            let records = state.records
            state.diagnostics.add(contentsOf: TranslationCheck.warnings(pages: state.pages.elements, links: { records[$0.sourcePath]?.decoded.links ?? [] },
                                                                        config: state.config))
            var result = Result(problems: state.diagnostics.all, pages: state.pages.count + state.extra.count)
            if external {
                result.external = ExternalLinks.check(ExternalLinks.targets(state.records.dictionary.values),
                                                      cache: ExternalLinks.cacheLocation(for: options.output), now: options.now,
                                                      timeout: options.fetchTimeout)
            }
            return result
        } catch {
            state.diagnostics.add(contentsOf: error.diagnostics)
            return Result(problems: state.diagnostics.all, pages: 0)
        }
    }
}
