import Foundation
import PropertyBased
import TaskWarden
import TaskWardenTestSupport
import Testing

/// `taskwarden map`'s proposal: what it decides, what it asks, and that no stored value can
/// change the configuration's structure.
@Suite("Mapping proposals")
struct MappingProposalTests {
    /// Characters that mean something to YAML, or to a terminal, among ordinary ones.
    static let valueCharacters = Array("aZ09_- :#'\"[]{},&*!|>%@`\n\t\r\u{1B}\u{85}\u{2028}é")
    static let value = Gen.element(of: valueCharacters).map { $0! }.array(of: 0...12).map { String($0) }

    @Test("a status value, whatever it holds, reads back from the proposal's YAML as itself")
    func quotedValuesRoundTrip() async {
        await propertyCheck(count: 400, input: Self.value) { value in
            let text = "table: {name: t, columns: {started_at: s}, statuses: {failed: [\(MappingProposal.quoted(value))]}}"
            let table = try? TaskWardenConfiguration.parse(text).table
            #expect(table?.statuses[.failed] == [value], "\(value.debugDescription) became \(String(describing: table?.statuses[.failed]))")
        }
    }

    @Test("generated status values never add a line or a key to the proposal, and it parses")
    func hostileValuesStayInside() async {
        let memory = try! DatabaseDrivers.connect("sqlite::memory:")
        defer { memory.close() }
        let dialect = memory.dialect
        await propertyCheck(count: 200, input: Self.value.array(of: 1...4)) { values in
            let inspection = TableInspection(
                table: try! SQLIdentifier("jobs"), dialect: dialect,
                columns: [.init(name: "id", type: "bigint"), .init(name: "status", type: "text"), .init(name: "started_at", type: "timestamp with time zone")],
                indexes: [:], statusValues: values.enumerated().map { ($0.element, $0.offset + 1) } + [("success", 3), ("running", 2)],
                timeSamples: [:])
            let proposal = MappingProposal(inspection, now: Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000))
            let table = try? TaskWardenConfiguration.parse(proposal.text).table
            #expect(table != nil, "the proposal does not parse:\n\(proposal.text)")
            #expect(table?.statuses[.succeeded] == ["success"] && table?.statuses[.running] == ["running"], "\(proposal.text)")
            #expect(proposal.text.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\r") })
        }
    }
}
