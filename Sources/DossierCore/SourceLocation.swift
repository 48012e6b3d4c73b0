/// A position in a source file, printed the way compilers do: `path:line:col`.
///
/// Lines and columns are 1-based; columns count `Character`s, so a caret drawn under a
/// source line lines up with what the reader sees.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    /// The same file, shifted by whole lines (front matter and fenced blocks are parsed
    /// on their own but reported in the coordinates of the original file).
    public func offset(lines: Int, columns: Int = 0) -> SourceLocation {
        SourceLocation(path: path, line: line + lines, column: column + columns)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}
