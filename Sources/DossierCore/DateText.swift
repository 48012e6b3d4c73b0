import Foundation

/// Parses and prints dates without depending on the machine's locale or time zone, so the
/// same content gives the same bytes everywhere. Dates without a zone are taken as UTC.
public enum DateText {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        c.locale = Locale(identifier: "en_US_POSIX")
        return c
    }()

    /// Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, and RFC 3339 (`T`, fractions, `Z` or
    /// `±HH:MM`). Returns nil for anything else, including impossible dates like 2025-02-30.
    public static func parse(_ raw: String) -> Date? {
        let s = Array(raw.trimmingSpaces.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = s[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var nanos = 0
        var offset = 0
        if i < s.count {
            guard s[i] == 84 || s[i] == 116 || s[i] == 32 else { return nil }  // T, t or space
            i += 1
            guard let h = digits(2), expect(58), let m = digits(2) else { return nil }
            hour = h; minute = m
            if expect(58) {
                guard let sec = digits(2) else { return nil }
                second = sec
                if expect(46) {
                    var scale = 100_000_000
                    var any = false
                    while i < s.count, s[i] >= 48, s[i] <= 57 {
                        nanos += Int(s[i] - 48) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            while i < s.count, s[i] == 32 { i += 1 }
            if i < s.count {
                if s[i] == 90 || s[i] == 122 {  // Z
                    i += 1
                } else if s[i] == 43 || s[i] == 45 {
                    let sign = s[i] == 45 ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    _ = expect(58)
                    let om = digits(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == s.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanos)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    /// `2025-06-01T00:00:00Z`
    public static func iso8601(_ date: Date) -> String {
        strftime("%Y-%m-%dT%H:%M:%SZ", date)
    }

    /// `2025-06-01`
    public static func day(_ date: Date) -> String { strftime("%Y-%m-%d", date) }

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// A locale-independent subset of C's strftime, in UTC: `%Y %y %m %d %e %B %b %A %a %H %M %S %j %F %T %Z %z %%`
    /// and `%-d`/`%-m` (no padding).
    public static func strftime(_ format: String, _ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let year = c.year!, month = c.month!, day = c.day!
        let hour = c.hour!, minute = c.minute!, second = c.second!, weekday = c.weekday!
        func pad(_ v: Int, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var out = ""
        var chars = format.makeIterator()
        while let ch = chars.next() {
            guard ch == "%" else { out.append(ch); continue }
            guard var spec = chars.next() else { out.append("%"); break }
            var noPad = false
            if spec == "-", let next = chars.next() { noPad = true; spec = next }
            switch spec {
            case "Y": out += String(year)
            case "y": out += pad(year % 100)
            case "m": out += noPad ? String(month) : pad(month)
            case "d": out += noPad ? String(day) : pad(day)
            case "e": out += noPad ? String(day) : (day < 10 ? " \(day)" : String(day))
            case "B": out += months[month - 1]
            case "b", "h": out += String(months[month - 1].prefix(3))
            case "A": out += weekdays[weekday - 1]
            case "a": out += String(weekdays[weekday - 1].prefix(3))
            case "H": out += noPad ? String(hour) : pad(hour)
            case "M": out += pad(minute)
            case "S": out += pad(second)
            case "j": out += pad(calendar.ordinality(of: .day, in: .year, for: date) ?? 1, 3)
            case "F": out += "\(pad(year, 4))-\(pad(month))-\(pad(day))"
            case "T": out += "\(pad(hour)):\(pad(minute)):\(pad(second))"
            case "Z": out += "UTC"
            case "z": out += "+0000"
            case "%": out += "%"
            default: out += "%" + String(spec)
            }
        }
        return out
    }
}
