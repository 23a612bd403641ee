import TaskWardenCore

extension Duration {
    /// An age for people: the largest unit and, when not zero, the next one down, rounded
    /// down: `200d`, `3h12m`, `4s`; under a second, milliseconds (`436ms`).
    ///
    /// `compactText` spells a duration exactly (`200d4s436ms`), which suits a threshold someone
    /// typed but not how long a run has been silent: nobody reads past the second unit, and
    /// milliseconds on a 200-day age are noise.
    public var ageText: String {
        let milliseconds = Int64((seconds * 1_000).rounded(.down))
        guard milliseconds >= 1_000 else { return "\(max(0, milliseconds))ms" }
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var rest = milliseconds / 1_000
        var parts: [String] = []
        for (unit, size) in units {
            let count = rest / size
            rest %= size
            if parts.isEmpty {
                if count > 0 { parts.append("\(count)\(unit)") }
            } else {
                if count > 0 { parts.append("\(count)\(unit)") }
                break
            }
        }
        return parts.joined()
    }
}
