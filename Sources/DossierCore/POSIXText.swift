import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// System errors as a person reads them ("File name too long"), never as Foundation's
/// `Error Domain=NSPOSIXErrorDomain Code=36 "(null)"`.
public enum POSIXText {
    /// The C library's text for an `errno` value.
    public static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The plainest text for an error thrown by a system or Foundation call: the errno's
    /// text when there is one beneath it, else the error's own description.
    public static func describe(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return describe(posix.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return describe(Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return describe(Int32(underlying.code))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return describe(ENOENT)
            case NSFileWriteFileExistsError: return describe(EEXIST)
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return describe(EACCES)
            case NSFileWriteOutOfSpaceError: return describe(ENOSPC)
            case NSFileWriteVolumeReadOnlyError: return describe(EROFS)
            case NSFileReadInvalidFileNameError, NSFileWriteInvalidFileNameError: return "invalid file name"
            default: break
            }
        }
        return TerminalText.safe(ns.localizedDescription)
    }
}
