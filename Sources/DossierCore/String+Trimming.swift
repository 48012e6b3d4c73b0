extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without leading and trailing ASCII spaces and tabs. Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString on Linux and showed up in profiles;
    /// this works on UTF-8 bytes (spaces and tabs are single bytes, so the cuts are valid).
    public var trimmingSpaces: String {
        let bytes = utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start {
            let before = bytes.index(before: end)
            guard bytes[before] == 0x20 || bytes[before] == 0x09 else { break }
            end = before
        }
        if start == bytes.startIndex && end == bytes.endIndex { return String(self) }
        return String(self[start..<end])
    }
}
