/// What a statement asks of its caller: values, lists, flags, repeated blocks; and what it returns.
///
/// The generator turns an interface into a Swift type's members; it is computed from the parsed
/// file of each dialect and merged, and a file whose names clash (`:after` a value here and a
/// flag there) is refused, so the build fails instead of a statement.
package struct SQLTemplateInterface: Sendable, Hashable {
    /// How a parameter is bound.
    package enum ParameterKind: String, Sendable, Hashable {
        case value, list
        /// `{{integer name}}`: a Swift `Int` written into the text.
        case integer
    }

    /// A repeated block: its element's name, the values and the names each element carries.
    package struct Block: Sendable, Hashable {
        package var element: String
        package var fields: [String] = []
        /// `{{element.field}}`: names (columns), quoted where they appear.
        package var nameFields: [String] = []
        package init(element: String, fields: [String] = [], nameFields: [String] = []) {
            self.element = element
            self.fields = fields
            self.nameFields = nameFields
        }
    }

    /// Parameters by name, in order of first use.
    package var parameters: [(name: String, kind: ParameterKind)] {
        parameterOrder.map { ($0, parameterKinds[$0]!) }
    }
    package private(set) var parameterOrder: [String] = []
    package private(set) var parameterKinds: [String: ParameterKind] = [:]
    /// Flags (`{{#if x}}`, `{{#unless x}}`), in order of first use.
    package private(set) var flags: [String] = []
    /// Names from the mapping (`{{x}}`, `{{#has x}}`), sorted.
    package var names: [String] { nameSet.sorted() }
    private var nameSet: Set<String> = []
    /// Repeated blocks by list name, in order of first use.
    package private(set) var blockOrder: [String] = []
    package private(set) var blocks: [String: Block] = [:]

    package init() {}

    /// The interface of one parsed file.
    package init(_ nodes: [SQLTemplateNode]) throws(SQLTemplateSyntaxError) {
        try collect(nodes)
        try checkNoClashes()
    }

    /// This interface and `other`'s, for the dialect files of one statement.
    package func merged(with other: SQLTemplateInterface) throws(SQLTemplateSyntaxError) -> SQLTemplateInterface {
        var merged = self
        for (name, kind) in other.parameters { try merged.addParameter(name, kind) }
        for flag in other.flags where !merged.flags.contains(flag) { merged.flags.append(flag) }
        merged.nameSet.formUnion(other.nameSet)
        for list in other.blockOrder {
            let block = other.blocks[list]!
            if let existing = merged.blocks[list] {
                guard existing.element == block.element else {
                    throw SQLTemplateSyntaxError(
                        line: 0, message: "the block over \(list) names its element '\(existing.element)' in one file, '\(block.element)' in another")
                }
                for field in block.fields where !existing.fields.contains(field) { merged.blocks[list]!.fields.append(field) }
                for field in block.nameFields where !existing.nameFields.contains(field) { merged.blocks[list]!.nameFields.append(field) }
            } else {
                merged.blockOrder.append(list)
                merged.blocks[list] = block
            }
        }
        try merged.checkNoClashes()
        return merged
    }

    /// Refuses a dialect file that drops or adds a flag or a repeated block of the shared file
    /// it overrides.
    ///
    /// An override is the same statement in another dialect's SQL: a flag it lacks would be set
    /// by the caller and silently ignored on that dialect, dropping a condition (an age check, a
    /// kind filter) from a delete; a block value it lacks would do the same per element.
    /// Parameters may differ (a dialect may not need a value, or take it in another form).
    package func checkOverride(of shared: SQLTemplateInterface) throws(SQLTemplateSyntaxError) {
        if Set(flags) != Set(shared.flags) {
            throw SQLTemplateSyntaxError(
                line: 0,
                message: "its flags (\(flags.sorted().joined(separator: ", "))) differ from the shared file's "
                    + "(\(shared.flags.sorted().joined(separator: ", "))): an override keeps every section of the statement")
        }
        for list in Set(blockOrder).union(shared.blockOrder).sorted() {
            guard let block = blocks[list], let sharedBlock = shared.blocks[list], Set(block.fields) == Set(sharedBlock.fields),
                Set(block.nameFields) == Set(sharedBlock.nameFields)
            else {
                throw SQLTemplateSyntaxError(
                    line: 0, message: "its block over \(list) differs from the shared file's: an override repeats the same values")
            }
        }
    }

    private mutating func addParameter(_ name: String, _ kind: ParameterKind) throws(SQLTemplateSyntaxError) {
        if let existing = parameterKinds[name] {
            guard existing == kind else {
                throw SQLTemplateSyntaxError(line: 0, message: "\(name) is used both as a \(existing.rawValue) and as a \(kind.rawValue)")
            }
        } else {
            parameterOrder.append(name)
            parameterKinds[name] = kind
        }
    }

    private mutating func collect(_ nodes: [SQLTemplateNode]) throws(SQLTemplateSyntaxError) {
        for node in nodes {
            switch node {
            case .text, .elementNumber:
                break
            case .name(let name):
                nameSet.insert(name)
            case .parameter(let name):
                try addParameter(name, .value)
            case .list(let name):
                try addParameter(name, .list)
            case .integer(let name):
                try addParameter(name, .integer)
            case .elementParameter(let element, let field):
                guard let list = blockOrder.last(where: { blocks[$0]?.element == element }) else { break }
                if !blocks[list]!.fields.contains(field) { blocks[list]!.fields.append(field) }
            case .elementName(let element, let field):
                guard let list = blockOrder.last(where: { blocks[$0]?.element == element }) else { break }
                if !blocks[list]!.nameFields.contains(field) { blocks[list]!.nameFields.append(field) }
            case .section(let kind, let name, let then, let otherwise):
                if kind.isFlag {
                    if !flags.contains(name) { flags.append(name) }
                } else {
                    nameSet.insert(name)
                }
                try collect(then)
                try collect(otherwise)
            case .each(let element, let list, _, let body):
                if let existing = blocks[list], existing.element != element {
                    throw SQLTemplateSyntaxError(line: 0, message: "two blocks over \(list) name their element differently")
                }
                if blocks[list] == nil {
                    blockOrder.append(list)
                    blocks[list] = Block(element: element)
                }
                try collect(body)
            }
        }
    }

    /// One Swift member per name: a flag, a value and a block may not share one.
    private func checkNoClashes() throws(SQLTemplateSyntaxError) {
        for list in blockOrder {
            let block = blocks[list]!
            if let field = block.fields.first(where: block.nameFields.contains) {
                throw SQLTemplateSyntaxError(
                    line: 0, message: ":\(block.element).\(field) and {{\(block.element).\(field)}} would both be the member '\(field)' of one element")
            }
        }
        var seen: [String: String] = [:]
        for (name, what) in parameterOrder.map({ ($0, "parameter :\($0)") }) + flags.map({ ($0, "flag \($0)") })
            + blockOrder.map({ ($0, "block list \($0)") })
        {
            let member = SQLTemplateInterface.swiftName(name)
            if let other = seen[member] {
                throw SQLTemplateSyntaxError(line: 0, message: "\(other) and \(what) would both be the Swift member '\(member)'")
            }
            seen[member] = what
        }
    }

    /// `after_finished_at` as a Swift member name: `afterFinishedAt`.
    package static func swiftName(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return name }
        return first.lowercased() + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `next_boundary` as a Swift type name: `NextBoundary`.
    package static func typeName(_ name: String) -> String {
        let member = swiftName(name)
        return member.prefix(1).uppercased() + member.dropFirst()
    }
}
