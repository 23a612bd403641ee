import TaskWardenCore

/// The order in which a purge walks a table: which rows each batch holds.
///
/// - ``finishTime``: the `(status, finished_at, id)` index, each batch the next `batch size`
///   purgeable rows after the previous batch's last key (``PurgeWalk``). It reads only purgeable
///   rows, so it wins when they are few, and when runs finish in the order they sit in the
///   table (as a table grows), since each batch's rows then share pages.
/// - ``primaryKey``: the table in primary-key order, each batch one contiguous id range deleted
///   with the retention predicate, the range sized to hold about `batch size` purgeable rows.
///   Each page is read and written once, in order, as the single `DELETE` reads it: it wins
///   when purgeable rows are many and scattered (finish times unrelated to ids), where a walk in
///   finish order reads and writes each batch's rows on up to `batch size` pages all over the
///   table, and comes back to the same pages batch after batch.
///
/// ``PurgeOrderDecision/choose(_:)`` picks one from what the database knows; the caller may
/// force either (``PurgeOptions/order``).
public enum PurgeOrder: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case finishTime = "finish-time"
    case primaryKey = "primary-key"

    public var description: String { rawValue }
}

/// What the database says about one walk's rows, for the choice of its order.
public struct PurgeOrderStatistics: Sendable, Hashable {
    /// Where ``finishCorrelation`` comes from.
    public enum CorrelationSource: String, Sendable, Hashable {
        /// PostgreSQL's `pg_stats.correlation` of the finish time column (physical order).
        case statistics
        /// The rank correlation of ids with finish order in the first purgeable rows.
        case sample
    }

    /// The table's rows, as the database estimates them (PostgreSQL, MySQL) or counts them (SQLite).
    public var estimatedRows: Int
    /// Purgeable rows counted, at most ``PurgeOrderDecision/manyThreshold(estimatedRows:batchSize:)``
    /// per status: a count that reaches it means "many".
    public var purgeableRows: Int
    /// The threshold from which purgeable rows are many.
    public var manyRows: Int
    /// How closely finish order follows the table's order, -1...1; `nil` when unknown (too few
    /// rows to sample, ids neither integers nor text).
    public var finishCorrelation: Double?
    public var correlationSource: CorrelationSource?

    public init(estimatedRows: Int, purgeableRows: Int, manyRows: Int, finishCorrelation: Double?, correlationSource: CorrelationSource?) {
        self.estimatedRows = estimatedRows
        self.purgeableRows = purgeableRows
        self.manyRows = manyRows
        self.finishCorrelation = finishCorrelation
        self.correlationSource = correlationSource
    }
}

/// The order a walk took, and why.
public struct PurgeOrderDecision: Sendable, Hashable {
    /// Why the order was taken.
    public enum Reason: String, Sendable, Hashable {
        /// The caller forced it.
        case forced
        /// Few purgeable rows: the index reads only them; a key-order walk would read the table.
        case fewRows = "few purgeable rows"
        /// Rows finish in table order: the index walk reads the table in order too.
        case finishInTableOrder = "rows finish in table order"
        /// Many purgeable rows, finish times scattered over the table.
        case manyScattered = "many purgeable rows, scattered"
        /// Many rows, but their order is unknown: the index walk, which never reads a row twice.
        case orderUnknown = "table order unknown"
    }

    public let order: PurgeOrder
    public let reason: Reason
    /// `nil` when the order was forced (nothing was measured).
    public let statistics: PurgeOrderStatistics?

    public init(order: PurgeOrder, reason: Reason, statistics: PurgeOrderStatistics?) {
        self.order = order
        self.reason = reason
        self.statistics = statistics
    }

    /// From this share of the table, purgeable rows are many: reading the whole table in order
    /// costs less than reading that many rows' pages one by one (a random page read costs about
    /// four sequential ones, PostgreSQL's `random_page_cost`, and a page holds tens of rows).
    public static let manyFraction = 0.02
    /// From this |correlation| on, rows finish in table order.
    public static let inOrderCorrelation = 0.8
    /// Rows read to sample finish order where the database keeps no statistic.
    public static let sampleSize = 1_000

    /// The count from which purgeable rows are many: 2 % of the table, and at least one batch.
    public static func manyThreshold(estimatedRows: Int, batchSize: Int) -> Int {
        max(batchSize, Int(Double(max(estimatedRows, 0)) * manyFraction))
    }

    /// The order for a walk with these statistics.
    ///
    /// Few purgeable rows (under ``manyFraction`` of the table): finish-time order, which reads
    /// only them. Many, and finishing in table order (|correlation| ≥ ``inOrderCorrelation``):
    /// finish-time order, whose batches are then contiguous too. Many and scattered:
    /// primary-key order. Many, order unknown: finish-time order.
    public static func choose(_ statistics: PurgeOrderStatistics) -> PurgeOrderDecision {
        func decision(_ order: PurgeOrder, _ reason: Reason) -> PurgeOrderDecision {
            PurgeOrderDecision(order: order, reason: reason, statistics: statistics)
        }
        guard statistics.purgeableRows >= statistics.manyRows else { return decision(.finishTime, .fewRows) }
        guard let correlation = statistics.finishCorrelation else { return decision(.finishTime, .orderUnknown) }
        if abs(correlation) >= inOrderCorrelation { return decision(.finishTime, .finishInTableOrder) }
        return decision(.primaryKey, .manyScattered)
    }

    /// Spearman's rank correlation of `ids`' order with their position: 1 when they rise, 0 when
    /// unrelated. `nil` for fewer than ten ids, or ids that are not all integers or all text.
    public static func rankCorrelation(_ ids: [DatabaseValue]) -> Double? {
        guard ids.count >= 10 else { return nil }
        let order: [Int]
        if let integers = integers(ids) {
            order = integers.indices.sorted { (integers[$0], $0) < (integers[$1], $1) }
        } else if let texts = texts(ids) {
            order = texts.indices.sorted { (texts[$0], $0) < (texts[$1], $1) }
        } else {
            return nil
        }
        let n = Double(ids.count)
        var squares = 0.0
        for (rank, position) in order.enumerated() {
            let difference = Double(rank - position)
            squares += difference * difference
        }
        return 1 - 6 * squares / (n * (n * n - 1))
    }

    private static func integers(_ ids: [DatabaseValue]) -> [Int64]? {
        var values: [Int64] = []
        for id in ids {
            guard case .integer(let value) = id else { return nil }
            values.append(value)
        }
        return values
    }

    private static func texts(_ ids: [DatabaseValue]) -> [String]? {
        var values: [String] = []
        for id in ids {
            guard case .text(let value) = id else { return nil }
            values.append(value)
        }
        return values
    }
}
