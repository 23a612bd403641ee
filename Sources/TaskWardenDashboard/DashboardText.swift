import Foundation
import TaskWardenCore

/// How the dashboard writes times, durations and sizes.
enum DashboardText {
    /// `2026-12-02 23:55:01 UTC`, or a dash.
    static func time(_ time: Timestamp?) -> String {
        guard let time else { return "–" }
        return String(time.sqlText.prefix(19)) + " UTC"
    }

    static func bytes(_ bytes: Int64?) -> String {
        guard let bytes else { return "unknown" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1_024 && unit < units.count - 1 {
            value /= 1_024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
