import CJemalloc

/// The executables link jemalloc (see Sources/CJemalloc), which then serves every
/// allocation of the process, cmark's included. Asking it for its version also keeps the
/// linker from dropping the library as unused.
enum Allocator {
    static var description: String {
        var version: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &version, &size, nil, 0) == 0, let version else { return "jemalloc" }
        return "jemalloc " + String(cString: version)
    }
}
