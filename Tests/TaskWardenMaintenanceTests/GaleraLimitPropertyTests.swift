import PropertyBased
import Testing

@testable import TaskWardenLocking
@testable import TaskWardenMaintenance

/// Generated Galera write-set limits: a batch TaskWarden sizes for them never goes over them.
@Suite("Galera write-set limits, generated")
struct GaleraLimitPropertyTests {
    @Test("a capped batch of runs writing 1 to 4 rows each stays under any wsrep_max_ws_rows and wsrep_max_ws_size")
    func batchLimitStaysUnder() async {
        await propertyCheck(
            count: 1_000, input: Gen.int(in: 0...5_000_000), Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 1...4)
        ) { rows, bytes, perRun in
            let node = GaleraNode(maxWriteSetRows: rows > 0 ? rows : nil, maxWriteSetBytes: bytes > 0 ? bytes : nil)
            guard let limit = node.batchLimit(rowsPerRun: perRun) else {
                #expect(rows == 0 && bytes == 0)
                return
            }
            #expect(limit >= 1)
            // A batch of one run is the least there is: below that no limit can be met.
            if limit > 1 {
                if rows > 0 { #expect(limit * perRun <= rows, "rows \(rows), \(perRun) per run: \(limit)") }
                if bytes > 0 { #expect(limit * perRun * GaleraNode.assumedBytesPerRow <= bytes, "bytes \(bytes): \(limit)") }
            }
        }
    }

    @Test("the primary-key walk never spans more rows than the cap, however dense or sparse its ranges")
    func idRangeNeverExceedsCap() async {
        await propertyCheck(
            count: 500, input: Gen.int(in: 1...20_000), Gen.int(in: 1...20_000), Gen.int(in: 0...100).array(of: 1...24)
        ) { requested, cap, densities in
            let batchSize = min(requested, cap)
            var cursor = Purger.IdCursor(batchSize: batchSize, rowLimit: cap)
            #expect(cursor.span >= 1 && cursor.span <= cap)
            for percent in densities {
                cursor.adapt(deleted: cursor.span * percent / 100)
                #expect(cursor.span >= 1 && cursor.span <= cap, "batch \(batchSize), cap \(cap): span \(cursor.span)")
            }
        }
    }

    @Test("only wsrep_on ON with a provider is a Galera node; any limit text parses or is no limit")
    func detectionFromVariables() async {
        let text = Gen.element(of: ["ON", "on", "OFF", "", "none", "1", "0", "-5", "abc", "18446744073709551615", "1000", "2147483647"]).map { $0! }
        await propertyCheck(count: 500, input: text, text, text, text) { on, provider, rows, size in
            let node = GaleraNode.node(wsrepOn: on, provider: provider, maxRows: rows, maxSize: size)
            #expect((node != nil) == (on.uppercased() == "ON" && !provider.isEmpty && provider.lowercased() != "none"))
            if let node {
                #expect((node.maxWriteSetRows ?? 1) > 0 && (node.maxWriteSetBytes ?? 1) > 0)
            }
        }
    }
}
