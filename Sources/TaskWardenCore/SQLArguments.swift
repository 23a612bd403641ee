/// What a template is rendered with: values, lists, the flags that are set, and the
/// elements of each repeated block.
///
/// Generated statement types fill this from their members; the compiler checks those.
package struct SQLArguments: Sendable, Hashable {
    package var values: [String: DatabaseValue]
    package var lists: [String: [DatabaseValue]]
    package var flags: Set<String>
    /// For each block's list name, one dictionary of values per element.
    package var blocks: [String: [[String: DatabaseValue]]]
    /// `{{integer name}}`s, written into the text.
    package var integers: [String: Int]

    package init(
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
