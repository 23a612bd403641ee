// swift-tools-version: 6.0
import PackageDescription

/// Property-based tests (generated input) for the test targets.
let propertyBased: Target.Dependency = .product(name: "PropertyBased", package: "swift-property-based")

let package = Package(
    name: "TaskWarden",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TaskWarden", targets: ["TaskWarden"]),
        .library(name: "TaskWardenCore", targets: ["TaskWardenCore"]),
        .executable(name: "taskwarden", targets: ["TaskWardenCLI"]),
        .executable(name: "taskwarden-bench", targets: ["TaskWardenBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C client libraries, found through pkg-config.
        .systemLibrary(
            name: "CPostgreSQL",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"]), .brew(["mariadb-connector-c"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),

        // The SQL template language (docs/sql.md), parsed alike by the build's generator and at run time.
        .target(name: "TaskWardenSQLSyntax"),

        // The portable core: values, rows, errors, URLs, the driver protocol. No C imports.
        .target(
            name: "TaskWardenCore",
            dependencies: ["TaskWardenSQLSyntax", .product(name: "Logging", package: "swift-log")]
        ),

        // migrations/ and sql/, embedded in the binary at build time by EmbedSQLPlugin, which
        // generates a typed statement (SQL.Runs.Current, ...) per file of sql/.
        .target(name: "TaskWardenSQL", dependencies: ["TaskWardenCore"], plugins: ["EmbedSQLPlugin"]),
        .executableTarget(name: "TaskWardenSQLGenerator", dependencies: ["TaskWardenSQLSyntax"]),
        .plugin(name: "EmbedSQLPlugin", capability: .buildTool(), dependencies: ["TaskWardenSQLGenerator"]),

        // Locks that processes sharing a database honour: session locks and leases.
        .target(
            name: "TaskWardenLocking",
            dependencies: ["TaskWardenCore", "TaskWardenSQL", .product(name: "Logging", package: "swift-log")]
        ),

        // Schema migrations: files, checksums, history, the engine.
        .target(
            name: "TaskWardenMigrations",
            dependencies: [
                "TaskWardenCore", "TaskWardenSQL", "TaskWardenLocking",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // What a task table is: its name, columns, status words and time format, and the
        // database's clock. Shared by workers and maintenance, so neither pulls in the other.
        .target(name: "TaskWardenSchema", dependencies: ["TaskWardenCore", "TaskWardenSQL"]),

        // Maintenance of task tables: stuck runs, recovery, reset, undo, journal, stats, purge,
        // doctor; table mappings for tables teams already have, from a YAML configuration file.
        .target(
            name: "TaskWardenMaintenance",
            dependencies: [
                "TaskWardenCore", "TaskWardenSQL", "TaskWardenSchema", "TaskWardenMigrations", "TaskWardenLocking",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // What workers use: run lifecycle helpers over short, retried sessions.
        .target(
            name: "TaskWardenWorker",
            dependencies: ["TaskWardenCore", "TaskWardenSQL", "TaskWardenSchema", .product(name: "Logging", package: "swift-log")]
        ),

        // The watchdog: recovery and purge in a loop, once across replicas (a fenced lease).
        .target(
            name: "TaskWardenWatch",
            dependencies: [
                "TaskWardenCore", "TaskWardenSQL", "TaskWardenSchema", "TaskWardenLocking", "TaskWardenMaintenance",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The watchdog's HTTP server: Prometheus metrics, health, and the admin API (Hummingbird).
        .target(
            name: "TaskWardenAdmin",
            dependencies: [
                "TaskWardenCore", "TaskWardenSchema", "TaskWardenMaintenance", "TaskWardenWatch",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The dashboard: server-rendered pages (Mustache templates compiled into the binary) over
        // the maintenance library's queries, mounted under /ui/ by the admin server.
        .target(
            name: "TaskWardenDashboard",
            dependencies: [
                "TaskWardenCore", "TaskWardenSQL", "TaskWardenSchema", "TaskWardenMaintenance", "TaskWardenWatch", "TaskWardenAdmin",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),

        // One driver per backend, each hiding its C handle.
        .target(name: "TaskWardenPostgreSQL", dependencies: ["TaskWardenCore", "CPostgreSQL"]),
        .target(name: "TaskWardenMySQL", dependencies: ["TaskWardenCore", "CMariaDB"]),
        .target(name: "TaskWardenSQLite", dependencies: ["TaskWardenCore", "CSQLite"]),

        // The library applications depend on: opens any URL with the right driver.
        .target(
            name: "TaskWarden",
            dependencies: [
                "TaskWardenCore",
                "TaskWardenLocking",
                "TaskWardenMigrations",
                "TaskWardenMaintenance",
                "TaskWardenSchema",
                "TaskWardenSQL",
                "TaskWardenWorker",
                "TaskWardenWatch",
                "TaskWardenPostgreSQL",
                "TaskWardenMySQL",
                "TaskWardenSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The `taskwarden` command.
        .executableTarget(
            name: "TaskWardenCLI",
            dependencies: [
                "TaskWarden", "TaskWardenAdmin", "TaskWardenDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The purge and recovery benchmark (scripts/bench-purge.sh), not a product; its own
        // statements (sql/bench/, as BenchmarkSQL) are generated here, not in the shipped binary.
        .executableTarget(
            name: "TaskWardenBenchmark",
            dependencies: [
                "TaskWarden", "TaskWardenSQL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedSQLPlugin"]
        ),

        // Shared by the test targets: which servers to test against.
        .target(
            name: "TaskWardenTestSupport",
            dependencies: ["TaskWarden", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TaskWardenTestSupport"
        ),
        .testTarget(name: "TaskWardenCoreTests", dependencies: ["TaskWardenCore", propertyBased]),
        .testTarget(name: "TaskWardenSQLTests", dependencies: ["TaskWardenSQL", "TaskWardenSQLSyntax", "TaskWardenCore", propertyBased]),
        .testTarget(name: "TaskWardenSchemaTests", dependencies: ["TaskWardenSchema", "TaskWardenCore", propertyBased]),
        .testTarget(name: "TaskWardenMigrationsTests", dependencies: ["TaskWarden", "TaskWardenTestSupport", propertyBased]),
        .testTarget(name: "TaskWardenMaintenanceTests", dependencies: ["TaskWarden", "TaskWardenSQL", "TaskWardenTestSupport", propertyBased]),
        .testTarget(
            name: "TaskWardenWorkerTests",
            dependencies: ["TaskWarden", "TaskWardenTestSupport", propertyBased, .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "TaskWardenTests",
            dependencies: [
                "TaskWarden", "TaskWardenTestSupport", propertyBased, .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "TaskWardenAdminTests", dependencies: ["TaskWardenAdmin", "TaskWarden", "TaskWardenTestSupport", propertyBased]),
        .testTarget(
            name: "TaskWardenDashboardTests",
            dependencies: [
                "TaskWardenDashboard", "TaskWardenAdmin", "TaskWarden", "TaskWardenWatch", "TaskWardenTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "TaskWardenWatchTests",
            dependencies: ["TaskWarden", "TaskWardenWatch", "TaskWardenTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // Beyond one server (pgbouncer, failover, Galera): run by scripts/test-ha.sh, which
        // starts each topology; scripts/test.sh skips them.
        .testTarget(
            name: "TaskWardenHATests",
            dependencies: ["TaskWarden", "TaskWardenWatch", "TaskWardenTestSupport", propertyBased, .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "TaskWardenCLITests",
            dependencies: ["TaskWardenCLI", "TaskWarden", "TaskWardenTestSupport", propertyBased, .product(name: "Yams", package: "Yams")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
