/// A golang-migrate file name, `<version>_<title>.<up|down>.sql`.
///
/// golang-migrate's own pattern is `^([0-9]+)_(.*)\.(down|up)\.(.*)$` (source/parse.go): any
/// zero padding, timestamps as versions, and the title may be empty. Only `.sql` files (in
/// any case) are migrations here.
struct GolangMigrateFileName: Hashable {
    enum Direction: String { case up, down }

    let version: Int64
    let title: String
    let direction: Direction

    init?(_ fileName: String) {
        guard Migration.hasSQLExtension(fileName) else { return nil }
        let stem = fileName.dropLast(4)
        let lowered = stem.lowercased()
        let direction: Direction
        if lowered.hasSuffix(".up") {
            direction = .up
        } else if lowered.hasSuffix(".down") {
            direction = .down
        } else {
            return nil
        }
        let base = stem.dropLast(direction == .up ? 3 : 5)
        let digits = base.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, base.dropFirst(digits.count).first == "_", let version = Int64(digits), version > 0 else { return nil }
        self.version = version
        title = String(base.dropFirst(digits.count + 1))
        self.direction = direction
    }
}
