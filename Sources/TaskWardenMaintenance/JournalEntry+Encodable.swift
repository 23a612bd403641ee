/// A journal entry as JSON, one shape wherever it is printed or served (`taskwarden journal
/// --json`, the admin API's `GET /api/journal`): its identity, change, reason and actor, the
/// time in ISO 8601, absent values left out; the overwritten values stay in the journal (`undo`
/// reads them).
extension JournalEntry: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, batchID, operation, table, runID, oldStatus, newStatus, reason, actor, createdAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(batchID, forKey: .batchID)
        try container.encode(operation.stored, forKey: .operation)
        try container.encode(targetTable, forKey: .table)
        try container.encode(runID, forKey: .runID)
        try container.encodeIfPresent(oldStatus, forKey: .oldStatus)
        try container.encodeIfPresent(newStatus, forKey: .newStatus)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(actor, forKey: .actor)
        try container.encodeIfPresent(createdAt?.iso8601, forKey: .createdAt)
    }
}
