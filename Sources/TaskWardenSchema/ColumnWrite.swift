import Foundation
import TaskWardenCore

/// A further column a mapping sets when TaskWarden moves a run to a status (`set_on:`).
///
/// Celery reads a `FAILURE` row's `result` as a serialised exception: a run TaskWarden fails
/// must get one, or every reader of it raises. The value is text, written as given, with
/// `{note}` replaced by why TaskWarden changed the run and `{note_json}` by the same as a
/// quoted JSON string (for values that are JSON). The column's old value is journaled, and
/// `undo` puts it back.
public struct ColumnWrite: Sendable, Hashable {
    public let column: SQLIdentifier
    /// The text, with `{note}` and `{note_json}` not yet replaced.
    public let template: String

    public init(column: SQLIdentifier, template: String) {
        self.column = column
        self.template = template
    }

    /// The key the journal keeps the column's old value under: apart from TaskWarden's own
    /// keys (`note`, `finished_at`...) whatever the column is called.
    public var journalKey: String { "set_\(column.name)" }

    /// The value written for a change whose note is `note`.
    public func value(note: String) -> String {
        template
            .replacingOccurrences(of: "{note_json}", with: Self.jsonString(note))
            .replacingOccurrences(of: "{note}", with: note)
    }

    /// `text` as a JSON string literal, quotes included, every control character escaped.
    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
