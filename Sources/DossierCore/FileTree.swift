import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The regular files under a folder, walked with `readdir`, confined to that folder:
/// a symbolic link is followed only when it leads to a place inside the folder, and every
/// entry that is skipped is reported with the reason, never dropped in silence.
/// (FileManager's enumerator asked for each file's attributes separately, which was a
/// tenth of loading a large site.) Hidden entries (`.name`) are skipped.
public enum FileTree {
    /// Why an entry was not listed.
    public enum Skip: Equatable, Sendable {
        /// A link whose target is outside the root.
        case leadsOutside
        /// A link whose target does not exist.
        case dangling
        /// A link to a folder already being walked (a loop).
        case loop
        /// A FIFO, socket or device.
        case special
        /// A hidden file (`.name`) with one of the extensions asked about.
        case hidden
    }

    public struct Listing: Sendable {
        /// Relative paths of regular files, sorted.
        public var files: [String]
        /// Entries not listed, with the reason, sorted by path.
        public var skipped: [(path: String, reason: Skip)]
    }

    /// The walk stops at this depth (folders inside folders): deeper trees are reported
    /// as skipped loops rather than exhausting the stack.
    public static let maxDepth = 64

    /// Regular files under `root` (all, or those whose lowercased extension is in
    /// `extensions`), relative to it.
    /// Hidden entries are skipped; those with an extension in `reportHidden` (say, `.md`
    /// for a content folder) are reported, the rest (`.DS_Store`, editors' swap files)
    /// are not.
    public static func files(under root: String, extensions: Set<String>? = nil, reportHidden: Set<String> = []) -> Listing {
        var listing = Listing(files: [], skipped: [])
        guard let realRoot = realPath(root) else { return listing }
        var walking: Set<FileID> = []
        /// `id`: the folder's device and inode (from its parent's entry, or a `stat` of a
        /// link's target): a folder already being walked is a loop.
        func walk(_ directory: String, _ prefix: String, depth: Int, id: FileID) {
            guard depth < maxDepth, walking.insert(id).inserted else {
                listing.skipped.append((String(prefix.dropLast()), .loop))
                return
            }
            defer { walking.remove(id) }
            guard let dir = opendir(directory) else { return }
            defer { closedir(dir) }
            var entries: [(String, UInt8, UInt64)] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasPrefix(".") {
                    // `.draft.md`, `..csv`, `.md`: its extension follows the last dot.
                    let ext = name[name.index(after: name.lastIndex(of: ".")!)...].lowercased()
                    if reportHidden.contains(ext) { listing.skipped.append((prefix + name, .hidden)) }
                    continue
                }
                entries.append((name, entry.pointee.d_type, UInt64(entry.pointee.d_ino)))
            }
            for (name, type, inode) in entries.sorted(by: { $0.0 < $1.0 }) {
                let full = directory + "/" + name
                let relative = prefix + name
                var kind = type
                var childID = FileID(device: id.device, inode: inode)
                if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) {
                    guard let real = realPath(full) else {
                        listing.skipped.append((relative, type == UInt8(DT_LNK) ? .dangling : .special))
                        continue
                    }
                    if type == UInt8(DT_LNK) && !(real == realRoot || real.hasPrefix(realRoot + "/")) {
                        listing.skipped.append((relative, .leadsOutside))
                        continue
                    }
                    var target = stat()
                    guard stat(real, &target) == 0 else {
                        listing.skipped.append((relative, .dangling))
                        continue
                    }
                    let format = target.st_mode & S_IFMT
                    kind = format == S_IFDIR ? UInt8(DT_DIR) : format == S_IFREG ? UInt8(DT_REG) : 0
                    childID = FileID(device: UInt64(target.st_dev), inode: UInt64(target.st_ino))
                }
                if kind == UInt8(DT_DIR) {
                    walk(full, relative + "/", depth: depth + 1, id: childID)
                } else if kind == UInt8(DT_REG) {
                    let ext = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
                    if extensions?.contains(ext) ?? true { listing.files.append(relative) }
                } else {
                    listing.skipped.append((relative, .special))
                }
            }
        }
        var info = stat()
        guard stat(root, &info) == 0 else { return listing }
        walk(root, "", depth: 0, id: FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        listing.files.sort()
        listing.skipped.sort { $0.path < $1.path }
        return listing
    }

    /// The canonical absolute path, links resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path`, links resolved, lies inside `root` (itself resolved).
    public static func isInside(_ path: String, root: String) -> Bool {
        guard let real = realPath(path), let realRoot = realPath(root) else { return false }
        return real == realRoot || real.hasPrefix(realRoot + "/")
    }

    /// The message for a skipped entry, naming it as `display` (e.g. `Content/a.md`).
    public static func explain(_ reason: Skip, _ display: String) -> String {
        switch reason {
        case .leadsOutside: return "\(display) is a link that leads outside the site folder; refusing to read through it"
        case .dangling: return "\(display) is a link to a file that does not exist; skipped"
        case .loop: return "\(display) is a link back to a folder that contains it (a loop), or folders nest more than \(maxDepth) deep; skipped"
        case .special: return "\(display) is not a regular file or folder (a FIFO, socket or device); skipped"
        case .hidden: return "\(display) is hidden (its name starts with '.'), so it is not published; rename it to publish it"
        }
    }

    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }
}
