import Foundation

/// An export file that could not be written: which file, what was being done, and why.
///
/// Nothing of the batch being exported has been deleted when this is thrown: rows are written
/// and synced before their delete commits.
public struct PurgeExportError: Error, Sendable, CustomStringConvertible {
    public enum Action: String, Sendable {
        case create, open, write, remove
    }

    public let path: String
    public let action: Action
    /// The operating system's reason, e.g. "No space left on device".
    public let cause: String

    public var description: String {
        "cannot \(action.rawValue) the export file \(path): \(cause); the rows of this batch were not deleted"
    }

    /// Runs `body`, turning Foundation's file errors into this error.
    static func wrap<T>(path: String, action: Action, _ body: () throws -> T) throws(PurgeExportError) -> T {
        do {
            return try body()
        } catch {
            throw PurgeExportError(path: path, action: action, cause: reason(error))
        }
    }

    /// The POSIX reason behind a Foundation error, rather than `NSCocoaErrorDomain Code=640`.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        switch nsError.code {
        case NSFileWriteOutOfSpaceError: return String(cString: strerror(ENOSPC))
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return String(cString: strerror(EACCES))
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return String(cString: strerror(ENOENT))
        case NSFileWriteVolumeReadOnlyError: return String(cString: strerror(EROFS))
        default: return nsError.localizedDescription.oneLine
        }
    }
}
