/// A dbmate section marker: `-- migrate:up`, `-- migrate:down`, with options such as
/// `transaction:false` after it on the same line.
///
/// dbmate finds them with `(?m)^--\s*migrate:(up|down)(.*)$` (pkg/dbmate/migration.go).
struct DbmateMarker: Hashable {
    /// `up` or `down`.
    let direction: String
    /// The `name:value` options after the marker (`transaction` -> `false`).
    let options: [String: String]

    init?(line: Substring) {
        guard line.hasPrefix("--") else { return nil }
        let rest = line.dropFirst(2).drop { $0.isWhitespace }
        let lowered = rest.lowercased()
        let direction: String
        if lowered.hasPrefix("migrate:up") {
            direction = "up"
        } else if lowered.hasPrefix("migrate:down") {
            direction = "down"
        } else {
            return nil
        }
        let tail = rest.dropFirst("migrate:".count + direction.count)
        guard tail.isEmpty || tail.first?.isWhitespace == true else { return nil }
        var options: [String: String] = [:]
        for word in tail.split(whereSeparator: { $0.isWhitespace }) {
            let parts = word.split(separator: ":", maxSplits: 1)
            options[String(parts[0]).lowercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
        self.direction = direction
        self.options = options
    }
}
