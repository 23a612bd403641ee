/// A goose annotation line: `-- +goose Up`, `-- +goose StatementBegin`, ...
///
/// As goose documents them (pressly.github.io/goose/documentation/annotations): case
/// insensitive, on a line of their own with no leading whitespace, matching
/// `^--\s\+goose\s.*$`. ``command`` is the rest, lower-cased with single spaces
/// (`up`, `down`, `statementbegin`, `statementend`, `no transaction`, `envsub on`).
struct GooseAnnotation: Hashable {
    let command: String

    init?(line: Substring) {
        guard line.hasPrefix("--") else { return nil }
        let afterDashes = line.dropFirst(2)
        guard afterDashes.first?.isWhitespace == true else { return nil }
        let rest = afterDashes.drop { $0.isWhitespace }
        guard rest.lowercased().hasPrefix("+goose"), rest.dropFirst(6).first?.isWhitespace == true else { return nil }
        command = rest.dropFirst(6).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
    }
}
