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
        if year >= arithmeticYears.lowerBound {
            // Proleptic Gregorian arithmetic (Foundation's calendar cost 20 µs a date).
            // A leap second rolls into the next minute, and is refused where that is the next day.
            guard day <= daysIn(month: month, year: year), !(second == 60 && hour == 23 && minute == 59) else { return nil }
            let seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
            return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(nanos) / 1e9)
        }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanos)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    /// Years for which dates are computed by arithmetic rather than by Foundation's calendar
    /// (which switches to the Julian calendar before October 1582).
    static let arithmeticYears = 1600...9999

    /// A date's fields in UTC; `weekday` 1 is Sunday.
    struct Fields: Equatable {
        var year, month, day, hour, minute, second, weekday, dayOfYear: Int
    }

    static func fields(_ date: Date) -> Fields {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        if whole.isFinite, abs(whole) < 1e13 {
            let seconds = Int(whole)
            let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
            let (year, month, day) = civilFromDays(days)
            if arithmeticYears.contains(year) {
                let time = seconds - days * 86_400
                return Fields(year: year, month: month, day: day, hour: time / 3600, minute: time / 60 % 60, second: time % 60,
                              weekday: ((days + 4) % 7 + 7) % 7 + 1, dayOfYear: days - daysFromCivil(year, 1, 1) + 1)
            }
        }
        return calendarFields(date)
    }

    static func calendarFields(_ date: Date) -> Fields {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return Fields(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!,
                      weekday: c.weekday!, dayOfYear: calendar.ordinality(of: .day, in: .year, for: date) ?? 1)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
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
        let f = fields(date)
        let year = f.year, month = f.month, day = f.day
        let hour = f.hour, minute = f.minute, second = f.second, weekday = f.weekday
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
            case "Y": out += year < 0 ? "-" + pad(-year, 4) : pad(year, 4)  // ISO 8601: four digits at least
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
            case "j": out += pad(f.dayOfYear, 3)
            case "F": out += "\(year < 0 ? "-" + pad(-year, 4) : pad(year, 4))-\(pad(month))-\(pad(day))"
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
