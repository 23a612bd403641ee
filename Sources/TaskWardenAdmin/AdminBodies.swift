import Foundation
import TaskWardenCore
import TaskWardenMaintenance

// The admin API's request and response bodies, as docs/openapi.yaml describes them.

struct RecoverRequest: Decodable {
    let table: String?
    let reason: String
    let to: String?
    let olderThan: String?
    let kind: String?
    let dryRun: Bool?
    let actor: String?
}

struct ResetRequest: Codable {
    let table: String?
    let statuses: [String]
    let to: String
    let kinds: [String]?
    let ids: [String]?
    let olderThan: String?
    let reason: String
    let actor: String?
    let confirm: String?

    /// The request without its confirmation and caller: what a preview's token is bound to.
    var canonical: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let selection = ResetRequest(table: table, statuses: statuses, to: to, kinds: kinds, ids: ids, olderThan: olderThan, reason: reason, actor: nil, confirm: nil)
        return String(decoding: (try? encoder.encode(selection)) ?? Data(), as: UTF8.self)
    }
}

struct CancelRequest: Decodable {
    let table: String?
    let ids: [String]?
    let kinds: [String]?
    let reason: String
    let actor: String?
}

struct UndoRequest: Decodable {
    let table: String?
    let batch: String
    let dryRun: Bool?
    let actor: String?
}

struct ChangeResponse: Encodable {
    let ok = true
    let dryRun: Bool
    /// Runs found (recover): the stuck runs seen.
    let found: Int?
    let changed: Int
    let skipped: Int
    let batch: String?
}

struct ResetPreviewResponse: Encodable {
    let ok = true
    let count: Int
    let sample: [String]
    /// The token a confirming request carries as `confirm`.
    let confirm: String
    let expiresInSeconds: Int
}

struct StuckRunBody: Encodable {
    let id: String
    let kind: String?
    let status: String
    let lastSeen: String
    let silentForSeconds: Int64
    let thresholdSeconds: Int64

    init(_ run: StuckRun) {
        id = run.id.plainText
        kind = run.kind
        status = run.status
        lastSeen = run.lastSeen.iso8601
        silentForSeconds = run.silentFor.components.seconds
        thresholdSeconds = run.threshold.components.seconds
    }
}

struct StuckResponse: Encodable {
    let ok = true
    let stuck: [StuckRunBody]
}

struct StatsResponse: Encodable {
    struct Count: Encodable {
        let status: String?
        let value: String
        let kind: String?
        let count: Int
    }

    let ok = true
    let counts: [Count]
    let stuck: Int
    let total: Int
}

struct JournalResponse: Encodable {
    let ok = true
    let entries: [JournalEntry]
}
