import Foundation
import TaskWardenCore

/// Writes purged rows as JSON Lines, so that each row lands in the file exactly once, even
/// when a purge is killed between writing a batch and committing its delete.
///
/// Before a batch, a sidecar file `<export>.pending` records the export's length and the ids
/// of the batch. The batch's rows are appended and synced, then the delete commits, then the
/// sidecar is removed. On the next start, a leftover sidecar is resolved: if the batch's rows
/// are still in the table, its delete never committed and the file is cut back to the recorded
/// length; if they are gone, the rows stay.
final class PurgeExport {
    let path: String
    /// Times are written as stored, without a `Z`: the table's are wall-clock times of a zone.
    let wallClockTimes: Bool
    /// The table's id column, whose values the pending sidecar records.
    let idColumn: String
    private var pendingPath: String { path + ".pending" }
    private let handle: FileHandle
    /// The file's length before the batch not yet committed, if one is.
    private var pendingLength: UInt64?

    init(path: String, wallClockTimes: Bool = false, idColumn: String = "id") throws(PurgeExportError) {
        self.path = path
        self.wallClockTimes = wallClockTimes
        self.idColumn = idColumn
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw PurgeExportError(path: path, action: .create, cause: String(cString: strerror(errno)))
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw PurgeExportError(path: path, action: .open, cause: String(cString: strerror(errno)))
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Resolves a batch left pending by an interrupted purge. `stillPresent` counts how many
    /// of the given ids are still in the table.
    func recover(stillPresent: ([DatabaseValue]) throws -> Int) throws {
        guard let data = FileManager.default.contents(atPath: pendingPath),
            let pending = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let length = (pending["length"] as? NSNumber)?.uint64Value, let ids = pending["ids"] as? [Any]
        else {
            try? FileManager.default.removeItem(atPath: pendingPath)
            return
        }
        let values = ids.map { id -> DatabaseValue in
            if let number = id as? Int { return .integer(Int64(number)) }
            return .text(String(describing: id))
        }
        if try stillPresent(values) > 0 {
            try PurgeExportError.wrap(path: path, action: .write) {
                try handle.truncate(atOffset: length)
                try handle.synchronize()
            }
        }
        try PurgeExportError.wrap(path: pendingPath, action: .remove) { try FileManager.default.removeItem(atPath: pendingPath) }
    }

    /// Appends `rows` (and records them as pending) before their delete commits.
    func write(_ rows: [Row]) throws {
        let length = try PurgeExportError.wrap(path: path, action: .write) { try handle.seekToEnd() }
        let ids: [Any] = rows.map { row in
            switch row[idColumn] ?? .null {
            case .integer(let id): return id
            case let other: return String.fromDatabaseValue(other) ?? ""
            }
        }
        let pending = try JSONSerialization.data(withJSONObject: ["length": length, "ids": ids])
        try Self.writeSynced(pending, to: pendingPath)
        pendingLength = length
        var lines = Data()
        for row in rows {
            lines.append(try Self.json(row, wallClockTimes: wallClockTimes))
            lines.append(0x0A)
        }
        try PurgeExportError.wrap(path: path, action: .write) {
            try handle.write(contentsOf: lines)
            try handle.synchronize()
        }
    }

    /// The batch's delete rolled back (a deadlock, a failed certification) and will be run
    /// again: its rows are cut from the file, and the sidecar removed.
    func discardPending() throws {
        guard let length = pendingLength else { return }
        try PurgeExportError.wrap(path: path, action: .write) {
            try handle.truncate(atOffset: length)
            try handle.synchronize()
        }
        pendingLength = nil
        if FileManager.default.fileExists(atPath: pendingPath) {
            try PurgeExportError.wrap(path: pendingPath, action: .remove) { try FileManager.default.removeItem(atPath: pendingPath) }
        }
    }

    /// The batch's delete committed: its rows are final.
    func commit() throws {
        pendingLength = nil
        if FileManager.default.fileExists(atPath: pendingPath) {
            try PurgeExportError.wrap(path: pendingPath, action: .remove) { try FileManager.default.removeItem(atPath: pendingPath) }
        }
    }

    private static func writeSynced(_ data: Data, to path: String) throws(PurgeExportError) {
        guard FileManager.default.createFile(atPath: path, contents: data), let handle = FileHandle(forWritingAtPath: path) else {
            throw PurgeExportError(path: path, action: .write, cause: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        try PurgeExportError.wrap(path: path, action: .write) { try handle.synchronize() }
    }

    /// One row as a JSON object: numbers, text, ISO-8601 times (in UTC, else as the wall-clock
    /// times the table stores), base64 bytes, nulls.
    static func json(_ row: Row, wallClockTimes: Bool = false) throws -> Data {
        var object: [String: Any] = [:]
        for (column, value) in zip(row.columns, row.values) {
            switch value {
            case .null: object[column] = NSNull()
            case .integer(let integer): object[column] = integer
            case .double(let double): object[column] = double.isFinite ? double : String(double)
            case .text(let text): object[column] = text
            case .timestamp(let timestamp): object[column] = wallClockTimes ? String(timestamp.iso8601.dropLast()) : timestamp.iso8601
            case .bytes(let bytes): object[column] = Data(bytes).base64EncodedString()
            }
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
