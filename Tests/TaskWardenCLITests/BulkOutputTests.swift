import Foundation
import Testing
import TaskWarden
@testable import TaskWardenCLI

@Suite("Bulk change output")
struct BulkOutputTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var written: [String] = []
        func append(_ text: String) { lock.withLock { written.append(text) } }
        var all: [String] { lock.withLock { written } }
    }

    static func progress(done: Int, expected: Int?, seconds: Double, batches: Int = 1) -> BulkProgress {
        BulkProgress(done: done, expected: expected, batches: batches, elapsed: .milliseconds(Int64(seconds * 1_000)))
    }

    @Test("the progress line gives runs done, share, rate, estimate and batches")
    func text() {
        #expect(BulkProgressLine.text(verb: "reset", Self.progress(done: 120_000, expected: 1_000_000, seconds: 3, batches: 24))
            == "reset: 120000 of 1000000 runs (12%), 40000 runs/s, about 22s left, 24 batches")
        #expect(BulkProgressLine.text(verb: "recover", Self.progress(done: 5_000, expected: nil, seconds: 2))
            == "recover: 5000 runs, 2500 runs/s, 1 batch")
    }

    @Test("short changes print nothing; a log gets a line every 10 s, a terminal a rewritten line, ended by finish()")
    func pacing() {
        let log = Lines()
        let inLog = BulkProgressLine(verb: "reset", isTerminal: false, write: log.append)
        for second in stride(from: 0.5, through: 25, by: 0.5) { inLog.report(Self.progress(done: Int(second * 100), expected: 2_500, seconds: second)) }
        inLog.finish()
        #expect(log.all.count == 3, "\(log.all)")   // at 1 s, 11 s, 21 s
        #expect(log.all.allSatisfy { $0.hasSuffix("\n") && $0.hasPrefix("reset: ") })

        let terminal = Lines()
        let onTerminal = BulkProgressLine(verb: "undo", isTerminal: true, write: terminal.append)
        onTerminal.report(Self.progress(done: 10, expected: 100, seconds: 0.2))
        #expect(terminal.all.isEmpty)
        onTerminal.report(Self.progress(done: 50, expected: 100, seconds: 1.5))
        onTerminal.report(Self.progress(done: 51, expected: 100, seconds: 1.6))   // within 250 ms: skipped
        onTerminal.report(Self.progress(done: 90, expected: 100, seconds: 2))
        onTerminal.finish()
        #expect(terminal.all.count == 3, "\(terminal.all)")
        #expect(terminal.all.dropLast().allSatisfy { $0.hasPrefix("\r\u{1B}[K") })
        #expect(terminal.all.last == "\n")
    }
}
