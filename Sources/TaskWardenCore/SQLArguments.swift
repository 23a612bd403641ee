/// What a template is rendered with: values, lists, the flags that are set, and the
/// elements of each repeated block.
///
/// Generated statement types fill this from their members; the compiler checks those.
public struct SQLArguments: Sendable, Hashable {
    public var values: [String: DatabaseValue]
    public var lists: [String: [DatabaseValue]]
    public var flags: Set<String>
    /// For each block's list name, one dictionary of values per element.
    public var blocks: [String: [[String: DatabaseValue]]]
    /// `{{integer name}}`s, written into the text.
    public var integers: [String: Int]

    public init(
        values: [String: DatabaseValue] = [:], lists: [String: [DatabaseValue]] = [:], flags: Set<String> = [],
        blocks: [String: [[String: DatabaseValue]]] = [:], integers: [String: Int] = [:]
    ) {
        self.values = values
        self.lists = lists
        self.flags = flags
        self.blocks = blocks
        self.integers = integers
    }
}
