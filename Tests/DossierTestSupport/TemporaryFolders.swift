import Foundation

/// Folders the tests made, removed when the test process exits.
public enum TemporaryFolders {
    nonisolated(unsafe) private static var folders: [String] = []
    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered = false

    public static func removeAtExit(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        folders.append(url.path)
        if !registered {
            registered = true
            atexit {
                for path in TemporaryFolders.all() { try? FileManager.default.removeItem(atPath: path) }
            }
        }
    }

    public static func all() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return folders
    }
}
