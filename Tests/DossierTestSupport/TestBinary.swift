import Foundation

/// The executables the tests run as analysts and CI do.
public enum TestBinary {
    /// The `dossier` built beside this test runner (whatever the build folder, sanitizer
    /// builds included), or `DOSSIER_BINARY`; `repository`'s debug build otherwise.
    public static func dossier(repository: URL) -> URL {
        if let path = ProcessInfo.processInfo.environment["DOSSIER_BINARY"] { return URL(fileURLWithPath: path) }
        // The runner is FOLDER/DossierPackageTests.xctest (a file on Linux, a bundle elsewhere).
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("dossier")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/dossier")
    }
}
