/// Flyway's checksum of a SQL file: CRC-32 over the UTF-8 bytes of each line without its line
/// break, the first line without a BOM, as a signed 32-bit integer.
///
/// As Flyway's `ChecksumCalculator` computes it (lines as Java's `BufferedReader.readLine`
/// yields them: `\n`, `\r\n` and `\r` end a line, and a final line break adds no empty line).
/// `migrate adopt` compares it with `flyway_schema_history.checksum` to tell a repeatable
/// migration that changed since Flyway ran it (it runs again) from one that did not.
enum FlywayChecksum {
    static func of(_ text: String) -> Int32 {
        var crc: UInt32 = 0xFFFF_FFFF
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        // "\r\n" is one Character in Swift, so splitting on isNewline takes it whole.
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            for byte in line.utf8 { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return Int32(bitPattern: ~crc)
    }

    /// The CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) table, as zlib and Java use.
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { value, _ in value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    }
}
