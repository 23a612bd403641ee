import Foundation
import Logging

/// Log messages, collected across threads.
public final class LogRecords: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    public init() {}
    public var messages: [String] { lock.withLock { collected } }
    func append(_ message: String) { lock.withLock { collected.append(message) } }
}

/// A swift-log handler that keeps every message.
public struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace
    public init(records: LogRecords) { self.records = records }
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    public func log(event: LogEvent) { records.append(event.message.description) }
}

extension Logger {
    /// A logger whose messages land in `records`.
    public static func recording(into records: LogRecords, label: String = "test") -> Logger {
        Logger(label: label) { _ in RecordingLogHandler(records: records) }
    }
}
