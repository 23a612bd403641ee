import Foundation
import TaskWardenCore

/// A further column a mapping sets when TaskWarden moves a run to a status (`set_on:`).
///
/// Celery reads a `FAILURE` row's `result` as a serialised exception: a run TaskWarden fails
/// must get one, or every reader of it raises. The value is a template, with `{note}` replaced
/// by why TaskWarden changed the run and `{note_json}` by the same as a quoted JSON string (for
/// values that are JSON), written as its ``encoding`` says: as text, or as bytes for a binary
/// column. The column's old value is journaled, and `undo` puts it back.
///
/// ```yaml
/// set_on:
///   failed:
///     traceback: 'lost: {note}'                                  # text
///     result: {value: '{"exc_message": [{note_json}]}', encoding: python_pickle}
/// ```
public struct ColumnWrite: Sendable, Hashable {
    public let column: SQLIdentifier
    /// The text, with `{note}` and `{note_json}` not yet replaced.
    public let template: String
    /// How the filled-in text becomes the column's value.
    public let encoding: ColumnEncoding

    public init(column: SQLIdentifier, template: String, encoding: ColumnEncoding = .text) {
        self.column = column
        self.template = template
        self.encoding = encoding
    }

    /// The key the journal keeps the column's old value under: apart from TaskWarden's own
    /// keys (`note`, `finished_at`...) whatever the column is called.
    public var journalKey: String { "set_\(column.name)" }

    /// The text written for a change whose note is `note`, before the encoding.
    public func text(note: String) -> String {
        template
            .replacingOccurrences(of: "{note_json}", with: Self.jsonString(note))
            .replacingOccurrences(of: "{note}", with: note)
    }

    /// The value bound for a change whose note is `note`.
    ///
    /// - Throws: ``ColumnEncodingError`` when the encoding needs JSON and the filled-in text
    ///   is not (the configuration checks the template with a sample note first).
    public func value(note: String) throws(ColumnEncodingError) -> DatabaseValue {
        try encoding.encode(text(note: note))
    }

    /// `text` as a JSON string literal, quotes included, every control character escaped.
    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}

/// How a `set_on` value is written (`encoding:` beside `value:`).
public enum ColumnEncoding: String, Sendable, Hashable, CaseIterable {
    /// The text itself (the default): for text columns.
    case text
    /// The text's UTF-8 bytes, bound as a binary value: for a `bytea`/`BLOB` column that holds
    /// serialised text (Celery 5.7's `celery_taskmeta.result`).
    case bytes
    /// The text is JSON; the value is Python's `pickle.dumps(json.loads(text), protocol=2)`,
    /// bound as a binary value: for a column a Python program reads with `pickle.loads`
    /// (SQLAlchemy's `PickleType`, as in Celery's result table before 5.7).
    case pythonPickle = "python_pickle"

    /// Whether the value is bound as bytes (and journaled as hexadecimal text, since JSON holds
    /// no bytes).
    public var isBinary: Bool { self != .text }

    /// The value for the filled-in text `text`.
    public func encode(_ text: String) throws(ColumnEncodingError) -> DatabaseValue {
        switch self {
        case .text: .text(text)
        case .bytes: .bytes(Array(text.utf8))
        case .pythonPickle: .bytes(PythonPickle.protocol2(try JSONValue.parse(text)))
        }
    }
}

/// A `set_on` value its encoding cannot take (text that is not JSON for `python_pickle`).
public struct ColumnEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
