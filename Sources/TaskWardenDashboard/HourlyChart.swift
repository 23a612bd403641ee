import TaskWardenCore
import TaskWardenMaintenance

/// The "finished per hour" bar chart as the SVG template draws it: every coordinate computed
/// here, so the page needs no script and the template only places numbers.
struct HourlyChart: Sendable {
    struct Bar: Sendable {
        let x: Int
        let y: Int
        let width: Int
        let height: Int
        /// The bar's tooltip and accessible text: "14:00 UTC: 12 finished".
        let label: String
    }

    struct Tick: Sendable {
        let x: Int
        let text: String
    }

    static let width = 480
    static let height = 120
    static let top = 14
    static let bottom = 104

    /// Tells this chart's title from another's on the same page.
    let id: String
    let bars: [Bar]
    let ticks: [Tick]
    let maximum: Int
    let total: Int
    let width = HourlyChart.width
    let height = HourlyChart.height
    /// Where the axis line and tick labels sit.
    let axisY = HourlyChart.bottom
    let labelY = HourlyChart.bottom + 12
    let summary: String

    init(_ finishes: HourlyFinishes, id: String) {
        self.id = id
        let hours = finishes.hours
        let maximum = max(hours.map(\.finished).max() ?? 0, 1)
        let slot = hours.isEmpty ? Self.width : Self.width / hours.count
        let usable = Self.bottom - Self.top
        var bars: [Bar] = []
        var ticks: [Tick] = []
        for (index, hour) in hours.enumerated() {
            let height = hour.finished == 0 ? 0 : max(1, hour.finished * usable / maximum)
            let clock = String(hour.start.sqlText.dropFirst(11).prefix(5))
            bars.append(
                Bar(x: index * slot + 1, y: Self.bottom - height, width: max(slot - 2, 1), height: height, label: "\(clock) UTC: \(hour.finished) finished"))
            if index % 6 == 0 { ticks.append(Tick(x: index * slot + 1, text: clock)) }
        }
        self.bars = bars
        self.ticks = ticks
        self.maximum = hours.map(\.finished).max() ?? 0
        self.total = finishes.total
        self.summary = "\(finishes.total) runs finished in the last \(hours.count) hours; the busiest hour had \(self.maximum)."
    }
}
