import Testing

@testable import TaskWardenMySQL

/// The errors a Galera node reports, classified as what they mean for a retry.
@Suite("Galera errors")
struct GaleraErrorTests {
    @Test("a failed certification or a brute-force abort (1213) is a deadlock: rolled back whole, worth running again")
    func certificationFailure() {
        for message in ["Deadlock found when trying to get lock; try restarting transaction",
                        "WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction"] {
            let error = MySQLErrorClassifier.error(code: 1213, sqlState: "40001", message: message, sql: "COMMIT")
            #expect(error.category == .deadlock)
            #expect(error.category.isTransient)
        }
    }

    @Test("1047, a node outside the primary component, is a lost server: transient, go elsewhere or wait")
    func nodeNotReady() {
        let error = MySQLErrorClassifier.error(
            code: 1047, sqlState: "08S01", message: "WSREP has not yet prepared node for application use", sql: "SELECT 1")
        #expect(error.category == .connectionLost)
        #expect(error.category.isTransient)
        // Classified by its code, whatever SQLSTATE a server version reports with it.
        #expect(MySQLErrorClassifier.category(code: 1047, sqlState: "HY000") == .connectionLost)
    }
}
