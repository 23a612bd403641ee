// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "TaskWarden",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TaskWarden", targets: ["TaskWarden"]),
        .library(name: "TaskWardenCore", targets: ["TaskWardenCore"]),
        .executable(name: "taskwarden", targets: ["TaskWardenCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
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

        // The portable core: values, rows, errors, URLs, the driver protocol. No C imports.
        .target(
            name: "TaskWardenCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
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
                "TaskWardenPostgreSQL",
                "TaskWardenMySQL",
                "TaskWardenSQLite",
            ]
        ),

        // The `taskwarden` command.
        .executableTarget(
            name: "TaskWardenCLI",
            dependencies: [
                "TaskWarden",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Shared by the test targets: which servers to test against.
        .target(
            name: "TaskWardenTestSupport",
            dependencies: ["TaskWarden"],
            path: "Tests/TaskWardenTestSupport"
        ),
        .testTarget(name: "TaskWardenCoreTests", dependencies: ["TaskWardenCore"]),
        .testTarget(name: "TaskWardenTests", dependencies: ["TaskWarden", "TaskWardenTestSupport"]),
        .testTarget(
            name: "TaskWardenCLITests",
            dependencies: ["TaskWardenCLI", "TaskWardenTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
