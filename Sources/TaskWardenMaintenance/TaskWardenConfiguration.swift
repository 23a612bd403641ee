import Foundation
import TaskWardenCore
import TaskWardenSchema
import Yams

/// The settings of `taskwarden.yaml`: which table, how it is mapped, when runs are stuck.
///
/// ```yaml
/// table:
///   name: tender_runs
///   columns: {id: id, status: status, kind: task_type, started_at: started_at,
///             heartbeat_at: updated_at, finished_at: completed_at, error: error_message}
///   statuses: {queued: [pending], running: [running], succeeded: [success, done]}
///   time_format: native
/// stuck:
///   older_than: 30m
///   kinds: {ai_analysis: 60m, report: 10m}
/// ```
///
/// Unknown keys are refused, so a misspelt `older_than` is an error rather than a silent
/// default. Every table and column name must be a plain identifier.
public struct TaskWardenConfiguration: Sendable {
    /// The file names looked for in the working directory, in order.
    public static let defaultFileNames = ["taskwarden.yaml", "taskwarden.yml"]

    public var table: TaskTable
    public var stuck: StuckPolicy
    /// How long finished runs are kept; empty when the file says nothing.
    public var retention = RetentionPolicy()
    /// The watchdog's settings for this table (`watch:`); `taskwarden watch`'s flags override them.
    public var watch = WatchSettings()
    /// Where the configuration came from, for messages; `nil` for the built-in defaults.
    public var source: String?

    public init(table: TaskTable = .taskRuns, stuck: StuckPolicy = StuckPolicy(), source: String? = nil) {
        self.table = table
        self.stuck = stuck
        self.source = source
    }

    /// Reads `path`, or the first default file in `directory`; the built-in defaults when neither exists.
    public static func load(path: String?, directory: String = FileManager.default.currentDirectoryPath) throws(ConfigurationError) -> TaskWardenConfiguration {
        let candidates = path.map { [$0] } ?? defaultFileNames.map { (directory as NSString).appendingPathComponent($0) }
        for candidate in candidates {
            guard FileManager.default.fileExists(atPath: candidate) else {
                if path != nil { throw ConfigurationError(path: candidate, message: "no such file") }
                continue
            }
            guard let data = FileManager.default.contents(atPath: candidate), let text = String(data: data, encoding: .utf8) else {
                throw ConfigurationError(path: candidate, message: "cannot read as UTF-8 text")
            }
            guard data.count <= maximumFileSize else {
                throw ConfigurationError(path: candidate, message: "larger than \(maximumFileSize / 1_024) KiB: not a TaskWarden configuration")
            }
            return try parse(text, source: candidate)
        }
        return TaskWardenConfiguration()
    }

    /// The largest configuration file read; real ones are a few hundred bytes.
    public static let maximumFileSize = 1_024 * 1_024
    /// The deepest `[`/`{` nesting accepted; real configurations nest three levels.
    static let maximumFlowNesting = 32

    /// Parses YAML text.
    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationError) -> TaskWardenConfiguration {
        if let line = firstLineNestedTooDeep(text) {
            throw ConfigurationError(path: source, message: "line \(line): nested more than \(maximumFlowNesting) levels deep")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(path: source, message: "not valid YAML: \(String(describing: error).oneLine)")
        }
        guard let node else { return TaskWardenConfiguration(source: source) }
        do {
            let root = try ConfigNode(node, path: "")
            try root.allowKeys(["table", "stuck", "retention", "watch"])
            var configuration = TaskWardenConfiguration(source: source)
            if let table = try root.child("table") { configuration.table = try parseTable(table, isParent: false) }
            if let stuck = try root.child("stuck") {
                try stuck.allowKeys(["older_than", "kinds"])
                if let olderThan = try stuck.child("older_than") { configuration.stuck.defaultThreshold = try olderThan.duration() }
                if let kinds = try stuck.child("kinds") {
                    for (kind, value) in try kinds.mapping() {
                        configuration.stuck.kindThresholds[kind] = try value.duration()
                    }
                }
            }
            if let retention = try root.child("retention") {
                try retention.allowKeys(["succeeded", "failed", "cancelled", "kinds"])
                configuration.retention.statuses = try parseRetention(retention)
                if let kinds = try retention.child("kinds") {
                    for (kind, rules) in try kinds.mapping() {
                        try rules.allowKeys(["succeeded", "failed", "cancelled"])
                        configuration.retention.kinds[kind] = try parseRetention(rules)
                    }
                }
            }
            if let watch = try root.child("watch") {
                try watch.allowKeys(["every", "lease", "recover_to", "purge_every"])
                configuration.watch.every = try watch.child("every")?.duration()
                configuration.watch.lease = try watch.child("lease")?.duration()
                configuration.watch.purgeEvery = try watch.child("purge_every")?.duration()
                if let node = try watch.child("recover_to") {
                    let text = try node.string()
                    guard let status = TaskStatus(rawValue: text), [.failed, .cancelled, .queued].contains(status) else {
                        throw ConfigurationError(path: "", message: "'watch.recover_to': '\(text)' is not failed, cancelled or queued")
                    }
                    configuration.watch.recoverTo = status
                }
            }
            return configuration
        } catch let error as ConfigurationError {
            throw ConfigurationError(path: source, message: error.message)
        } catch {
            throw ConfigurationError(path: source, message: String(describing: error))
        }
    }

    /// `node` (a table with `preset:`) as the preset's mapping with `node`'s other keys over it.
    private static func withPreset(_ presetNode: ConfigNode, under node: ConfigNode) throws -> ConfigNode {
        let name = try presetNode.string()
        guard let preset = TablePreset(rawValue: name) else {
            throw ConfigurationError(
                path: "", message: "\(presetNode.path): unknown preset '\(name)' (known: \(TablePreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard case .mapping(var merged)? = try Yams.compose(yaml: preset.mapping), case .mapping(let own) = node.node else {
            throw ConfigurationError(path: "", message: "\(presetNode.path): preset '\(name)' could not be read")
        }
        for (key, value) in own where key.string != "preset" { merged[key] = value }
        return try ConfigNode(.mapping(merged), path: node.path)
    }

    /// The line where `[`/`{` brackets outside quotes first nest past ``maximumFlowNesting``.
    ///
    /// Checked before the YAML parser sees the text: it recurses per level, and its error for
    /// hostile nesting quotes the whole input back.
    static func firstLineNestedTooDeep(_ text: String) -> Int? {
        var depth = 0
        var line = 1
        var quote: Character?
        var inComment = false
        for character in text {
            if character == "\n" {
                line += 1
                inComment = false
                continue
            }
            if inComment { continue }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "#": inComment = true
            case "[", "{":
                depth += 1
                if depth > maximumFlowNesting { return line }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    /// One column of `set_on`: its text, or `{value: text, encoding: name}`. The text is
    /// checked against its encoding with a sample note, so a template that is not JSON for
    /// `python_pickle` is refused here, naming the key, rather than when a run changes.
    private static func parseWrite(_ column: String, _ node: ConfigNode) throws -> ColumnWrite {
        let name = try ConfigNode.identifier(column, at: node.path)
        guard case .mapping = node.node else { return ColumnWrite(column: name, template: try node.string()) }
        try node.allowKeys(["value", "encoding"])
        guard let value = try node.child("value") else { throw ConfigurationError(path: "", message: "'\(node.path)' needs a 'value'") }
        var encoding = ColumnEncoding.text
        if let encodingNode = try node.child("encoding") {
            let text = try encodingNode.string()
            guard let parsed = ColumnEncoding(rawValue: text) else {
                throw ConfigurationError(
                    path: "", message: "'\(encodingNode.path)' must be one of \(ColumnEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            encoding = parsed
        }
        let write = ColumnWrite(column: name, template: try value.string(), encoding: encoding)
        do {
            _ = try write.value(note: "sample note \"quoted\"")
        } catch {
            throw ConfigurationError(path: "", message: "'\(value.path)' with encoding \(encoding.rawValue): \(error.description)")
        }
        return write
    }

    private static func parseRetention(_ node: ConfigNode) throws -> [TaskStatus: Duration] {
        var rules: [TaskStatus: Duration] = [:]
        for status in RetentionPolicy.purgeable {
            if let value = try node.child(status.rawValue) { rules[status] = try value.duration() }
        }
        return rules
    }

    private static func parseTable(_ node: ConfigNode, isParent: Bool) throws -> TaskTable {
        if !isParent, let presetNode = try node.child("preset") {
            return try parseTable(try withPreset(presetNode, under: node), isParent: false)
        }
        try node.allowKeys(isParent ? ["name", "key", "columns", "statuses", "missing_statuses", "set_on", "time_format", "time_zone"]
            : ["name", "columns", "statuses", "missing_statuses", "set_on", "time_format", "time_zone", "parent"])
        guard let name = try node.child("name") else { throw ConfigurationError(path: "", message: "\(node.path) needs a 'name'") }
        var columns: [TaskTable.Column: SQLIdentifier] = [:]
        if let columnNodes = try node.child("columns") {
            for (key, value) in try columnNodes.mapping() {
                guard let column = TaskTable.Column(rawValue: key) else {
                    throw ConfigurationError(
                        path: "", message: "\(columnNodes.path).\(key) is not a column TaskWarden knows (known: \(TaskTable.Column.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                columns[column] = try value.identifier()
            }
        }
        // A column named like TaskWarden's own needs no mapping line.
        for column in TaskTable.Column.alwaysNamed where columns[column] == nil {
            columns[column] = try SQLIdentifier(column.rawValue)
        }
        var statuses: [TaskStatus: [String]] = [:]
        if let statusNodes = try node.child("statuses") {
            for (key, value) in try statusNodes.mapping() {
                guard let status = TaskStatus(rawValue: key) else {
                    throw ConfigurationError(path: "", message: "\(statusNodes.path).\(key) is not a status (known: queued, running, succeeded, failed, cancelled)")
                }
                statuses[status] = try value.strings()
            }
        }
        var missingStatuses: Set<TaskStatus> = []
        if let missingNode = try node.child("missing_statuses") {
            for name in try missingNode.strings() {
                guard let status = TaskStatus(rawValue: name) else {
                    throw ConfigurationError(path: "", message: "\(missingNode.path): '\(name)' is not a status (known: queued, running, succeeded, failed, cancelled)")
                }
                missingStatuses.insert(status)
            }
        }
        var writes: [TaskStatus: [ColumnWrite]] = [:]
        if let setNode = try node.child("set_on") {
            for (key, columnsNode) in try setNode.mapping() {
                guard let status = TaskStatus(rawValue: key), status != .running else {
                    throw ConfigurationError(path: "", message: "\(setNode.path).\(key) is not a status TaskWarden moves runs to (queued, succeeded, failed, cancelled)")
                }
                writes[status] = try columnsNode.mapping().map { column, value in try parseWrite(column, value) }
            }
        }
        var timeFormat = TimeFormat.native
        if let format = try node.child("time_format") {
            let text = try format.string()
            guard let parsed = TimeFormat(rawValue: text) else {
                throw ConfigurationError(path: "", message: "\(format.path) must be one of \(TimeFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            timeFormat = parsed
        }
        var timeZone = MappedTimeZone.utc
        if let zone = try node.child("time_zone") {
            let zoneName = try zone.string()
            do {
                timeZone = try MappedTimeZone(named: zoneName)
            } catch {
                throw ConfigurationError(path: "", message: "\(zone.path): \(error.description)")
            }
        }
        var parent: ParentTable?
        if let parentNode = try node.child("parent") {
            guard let key = try parentNode.child("key") else {
                throw ConfigurationError(path: "", message: "\(parentNode.path) needs a 'key': the column of \(try name.string()) holding the parent's id")
            }
            parent = ParentTable(table: try parseTable(parentNode, isParent: true), key: try key.identifier())
        }
        do {
            return try TaskTable(
                name: try name.identifier(), columns: columns, statuses: statuses, missingStatuses: missingStatuses, writes: writes, timeFormat: timeFormat, timeZone: timeZone,
                parent: parent, fillsColumnsByName: true,
                requiring: isParent ? [.id, .status] : TaskTable.Column.required)
        } catch {
            throw ConfigurationError(path: "", message: String(describing: error))
        }
    }
}

/// A configuration file that cannot be used.
/// `watch:` in a configuration file: how `taskwarden watch` runs for its table. Each is `nil`
/// when the file does not say, for the flag or the built-in default to decide.
public struct WatchSettings: Sendable, Hashable {
    /// `every`: time between cycles.
    public var every: Duration?
    /// `lease`: how long a leader's lease lasts without a heartbeat.
    public var lease: Duration?
    /// `recover_to`: failed, cancelled or queued.
    public var recoverTo: TaskStatus?
    /// `purge_every`: how often to purge with the file's retention.
    public var purgeEvery: Duration?

    public init() {}
}

public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        // Messages can quote the file (the YAML parser's do): keep them to one short line.
        let line = message.oneLine
        self.message = line.count > 300 ? line.prefix(300) + "..." : line
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A YAML node with the path that leads to it, for one-line error messages.
private struct ConfigNode {
    let node: Node
    let path: String

    init(_ node: Node, path: String) throws {
        self.node = node
        self.path = path
    }

    func mapping() throws -> [(String, ConfigNode)] {
        guard case .mapping(let mapping) = node else { throw ConfigurationError(path: "", message: "\(display) must be a mapping") }
        return try mapping.map { key, value in
            guard let name = key.string else { throw ConfigurationError(path: "", message: "\(display) has a key that is not text") }
            return (name, try ConfigNode(value, path: path.isEmpty ? name : "\(path).\(name)"))
        }
    }

    func child(_ key: String) throws -> ConfigNode? {
        try mapping().first { $0.0 == key }?.1
    }

    func allowKeys(_ allowed: Set<String>) throws {
        for (key, _) in try mapping() where !allowed.contains(key) {
            throw ConfigurationError(
                path: "", message: "unknown key '\(path.isEmpty ? key : "\(path).\(key)")' (known here: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw ConfigurationError(path: "", message: "\(display) must be a single value") }
        return scalar.string
    }

    func strings() throws -> [String] {
        if case .sequence(let sequence) = node {
            return try sequence.map { try ConfigNode($0, path: path).string() }
        }
        return [try string()]
    }

    func identifier() throws -> SQLIdentifier {
        try Self.identifier(try string(), at: display)
    }

    /// `text` as a name (a key naming a column, say), refused with `place` in the message.
    static func identifier(_ text: String, at place: String) throws -> SQLIdentifier {
        do {
            return try SQLIdentifier(text)
        } catch {
            throw ConfigurationError(path: "", message: "\(place): \(error.description)")
        }
    }

    /// A threshold or retention: a duration longer than zero.
    func duration() throws -> Duration {
        let text = try string()
        do throws(DurationParseError) {
            let duration = try Duration(parsing: text)
            guard duration > .zero else { throw DurationParseError(text: text, reason: .notPositive) }
            return duration
        } catch {
            throw ConfigurationError(path: "", message: "\(display): \(error.description)")
        }
    }

    private var display: String { path.isEmpty ? "the file" : "'\(path)'" }
}
