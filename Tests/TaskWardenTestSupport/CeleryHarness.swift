import Foundation

/// Celery, django-celery-results and django-tasks themselves, through
/// `scripts/celery/harness.py`, in the virtual environment `scripts/test.sh` makes
/// (`$TASKWARDEN_TEST_CELERY_PYTHON`).
///
/// The preset tests never trust SQL of their own for what Celery would write or read: the
/// tables come from the systems' migrations, rows are stored by Celery's result backend, and
/// read back through `AsyncResult`.
public struct CeleryHarness: Sendable {
    public let python: String
    public let backend: String
    public let url: String
    /// For `sqlalchemy`: Celery's `result_extended` (name, args, kwargs, worker, queue kept).
    public let extended: Bool

    /// - Parameter backend: `django` (django-celery-results), `sqlalchemy` (Celery's own) or
    ///   `django_tasks` (django-tasks' database backend).
    /// - Parameter pythonVariable: the environment variable naming the venv's python:
    ///   `TASKWARDEN_TEST_CELERY_PYTHON` (Celery 5.7 and the rest), or
    ///   `TASKWARDEN_TEST_CELERY56_PYTHON` (Celery 5.6).
    public init(backend: String, url: String, extended: Bool = false, pythonVariable: String = "TASKWARDEN_TEST_CELERY_PYTHON") throws {
        python = try TestBackend.required(pythonVariable)
        self.backend = backend
        self.url = url
        self.extended = extended
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/celery/harness.py").path

    /// Creates the system's tables with its own migrations.
    public func setup() throws { _ = try call(["setup"]) }

    /// Stores task `id` in `state` as a worker would.
    public func store(_ id: String, state: String, name: String = "tasks.crawl") throws {
        _ = try call(["store", "--id", id, "--state", state, "--name", name])
    }

    /// django-tasks: enqueues a task and brings it to `state` (READY, RUNNING: its worker died
    /// mid-task, SUCCESSFUL, FAILED: run by `db_worker`); returns the id django-tasks gave it.
    public func enqueue(state: String) throws -> String {
        let report = try call(["store", "--state", state])
        guard let id = report["id"] as? String else { throw HarnessFailed(arguments: ["store", state], message: "no id in \(report)") }
        return id
    }

    /// What `AsyncResult(id)` (django-tasks: `get_result(id)`) reports: state, failed(), result (or the error reading it), traceback.
    public func read(_ id: String) throws -> [String: Any] {
        try call(["read", "--id", id])
    }

    /// Python's `pickle.loads` of each case's bytes against `json.loads` of its text: the
    /// cases whose values (and types) differ, at most five.
    public func checkPickles(_ cases: [(json: String, pickle: [UInt8])]) throws -> (checked: Int, mismatches: [[String: Any]]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("taskwarden-pickles-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        var lines = Data()
        for (json, pickle) in cases {
            lines += try JSONSerialization.data(withJSONObject: ["json": json, "pickle": pickle.map { String(format: "%02x", $0) }.joined()])
            lines += Data("\n".utf8)
        }
        try lines.write(to: file)
        let report = try run(["check-pickles", "--file", file.path])
        return (report["checked"] as? Int ?? 0, report["mismatches"] as? [[String: Any]] ?? [])
    }

    private func call(_ arguments: [String]) throws -> [String: Any] {
        try run(arguments + ["--backend", backend, "--url", url] + (extended ? ["--extended"] : []))
    }

    private func run(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessFailed(arguments: arguments, message: errorText)
        }
        return object
    }

    public struct HarnessFailed: Error, CustomStringConvertible {
        public let arguments: [String]
        public let message: String
        public var description: String { "harness.py \(arguments.joined(separator: " ")) failed: \(message)" }
    }
}
