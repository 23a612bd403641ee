import Foundation
import TaskWardenTestSupport
import Testing
import Yams

/// The deploy recipes of docs/deploy and docker-compose.yml, checked by the tools that run them.
@Suite("Deploy recipes")
struct DeployRecipeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { repository.appendingPathComponent(relative).path }

    @Test("the systemd units (watch service, purge service and timer) pass systemd-analyze verify without a warning")
    func systemdUnits() throws {
        let binary = try CommandRunner().binary.path
        let directory = try TemporaryDirectory.make()
        var units: [String] = []
        for name in ["taskwarden-watch.service", "taskwarden-purge.service", "taskwarden-purge.timer"] {
            // verify checks that ExecStart's program exists: point it at the built binary.
            let text = try String(contentsOfFile: Self.path("docs/deploy/systemd/\(name)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/taskwarden", with: binary)
            try text.write(toFile: directory.appending(name), atomically: true, encoding: .utf8)
            units.append(directory.appending(name))
        }
        let (status, output) = try Self.run("/usr/bin/systemd-analyze", ["verify"] + units)
        #expect(status == 0 && output.isEmpty, "\(output)")
        let watch = try String(contentsOfFile: units[0], encoding: .utf8)
        #expect(watch.contains("ExecStart=\(binary) watch ") && watch.contains("KillSignal=SIGTERM"))
    }

    @Test("the Kubernetes manifests validate against the API's schemas (strict), and the watch Deployment runs two replicas probed on /readyz and /healthz")
    func kubernetesManifests() throws {
        let validate = try TestBackend.required("TASKWARDEN_TEST_KUBERNETES_VALIDATE")
        let manifests = ["watch-deployment.yaml", "migrate-job.yaml", "purge-cronjob.yaml"].map { Self.path("docs/deploy/kubernetes/\($0)") }
        let (status, output) = try Self.run(validate, ["--strict"] + manifests)
        #expect(status == 0 && !output.contains("ERROR"), "\(output)")

        let deployment = try #require(try Yams.load(yaml: String(contentsOfFile: manifests[0], encoding: .utf8)) as? [String: Any])
        let spec = try #require(deployment["spec"] as? [String: Any])
        #expect(spec["replicas"] as? Int == 2)
        let container = try #require(
            (((spec["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first)
        #expect((container["args"] as? [String])?.prefix(2) == ["taskwarden", "watch"])
        #expect(((container["readinessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String == "/readyz")
        #expect(((container["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String == "/healthz")
        for manifest in manifests { #expect(try !String(contentsOfFile: manifest, encoding: .utf8).contains("TOKEN=")) }
    }

    @Test("docker-compose.yml passes docker-compose config, with the watch service behind its profile")
    func composeFile() throws {
        let compose = ["-f", Self.path("docker-compose.yml")]
        let (status, output) = try Self.run("/usr/bin/docker-compose", compose + ["config", "-q"])
        #expect(status == 0 && output.isEmpty, "\(output)")
        let services = try Self.run("/usr/bin/docker-compose", compose + ["--profile", "watch", "config", "--services"])
        #expect(services.output.split(separator: "\n").contains("watch"), "\(services.output)")
    }

    @Test("the crontab line is a five-field schedule, a user and a purge that cannot overlap the next night's")
    func crontabLine() throws {
        let lines = try String(contentsOfFile: Self.path("docs/deploy/cron/taskwarden-purge"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.contains("=") && !$0.isEmpty }
        #expect(lines.count == 1)
        let fields = lines[0].split(separator: " ", maxSplits: 6).map(String.init)
        #expect(fields.count == 7)
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
        for (field, range) in zip(fields.prefix(5), ranges) where field != "*" {
            #expect(Int(field).map(range.contains) == true, "\(field)")
        }
        #expect(fields[5] == "taskwarden")
        #expect(fields[6].contains("flock -n") && fields[6].contains("taskwarden purge --max-duration"))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
