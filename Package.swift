// swift-tools-version: 6.2
import PackageDescription

/// Settings every Swift target of ours shares (see ../shared/style.md, section 3).
let strictSwiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let configuration = Target.Dependency.product(name: "Configuration", package: "swift-configuration")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdCore = Target.Dependency.product(name: "HummingbirdCore", package: "hummingbird")
let hummingbirdTLS = Target.Dependency.product(name: "HummingbirdTLS", package: "hummingbird")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let bcrypt = Target.Dependency.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
/// SQLite's C API, for the store's commit path (statements bound by hand).
let grdbSQLite = Target.Dependency.product(name: "GRDBSQLite", package: "GRDB.swift")

let package = Package(
    name: "calls-bus",
    products: [
        .executable(name: "calls-bus", targets: ["CallsBusMain"]),
        .executable(name: "calls-gateway", targets: ["CallsGatewayMain"]),
        .executable(name: "calls-bench", targets: ["CallsBenchMain"]),
        .executable(name: "calls-proxy", targets: ["CallsProxyMain"]),
        .executable(name: "calls", targets: ["CallsCLI"]),
        .executable(name: "calls-kamailio", targets: ["CallsKamailioMain"]),
        .library(name: "ZMQ", targets: ["ZMQ"]),
        .library(name: "CallsJSON", targets: ["CallsJSON"]),
        .library(name: "Calls", targets: ["Calls"]),
        .library(name: "CallsBusMessages", targets: ["CallsBusMessages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(name: "ZMQ", dependencies: ["CZMQ"], swiftSettings: strictSwiftSettings),
        .target(
            name: "CPhoneNumber",
            linkerSettings: [
                .linkedLibrary("phonenumber"),
                .linkedLibrary("geocoding"),
                .linkedLibrary("icuuc"),
                .linkedLibrary("stdc++"),
            ]
        ),
        .target(name: "CallsJSON", swiftSettings: strictSwiftSettings),
        .target(name: "Calls", swiftSettings: strictSwiftSettings),
        .target(
            name: "CallsPhoneNumbers", dependencies: ["Calls", "CPhoneNumber"], swiftSettings: strictSwiftSettings),
        .target(name: "CallsBusMessages", dependencies: ["Calls", "CallsJSON"], swiftSettings: strictSwiftSettings),
        .target(
            name: "CallsStore", dependencies: ["Calls", "CallsJSON", grdb, grdbSQLite],
            swiftSettings: strictSwiftSettings),
        // The PostgreSQL store and the active/standby lease of a group of buses (contract v2, section 10).
        .target(
            name: "CallsStorePostgres",
            dependencies: ["CallsStore", "Calls", postgres, nioCore, nioPosix, log],
            swiftSettings: strictSwiftSettings
        ),
        .target(
            name: "CallsBusService",
            dependencies: [
                "CallsBusMessages", "Calls", "CallsPhoneNumbers", "CallsStore", "CallsStorePostgres", "ZMQ", lifecycle,
                unixSignals, log, configuration,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .target(
            name: "CallsBusClient",
            dependencies: ["CallsBusMessages", "Calls", "CallsJSON", "ZMQ", lifecycle, log, configuration],
            swiftSettings: strictSwiftSettings
        ),
        .target(
            name: "CallsCometD",
            dependencies: [
                "CallsBusClient", "CallsBusMessages", "Calls", "CallsJSON", hummingbird, lifecycle, log,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .target(
            name: "CallsGateway",
            dependencies: [
                "CallsCometD", "CallsBusClient", "CallsBusMessages", "Calls", "CallsJSON", hummingbird, httpTypes,
                bcrypt, prometheus,
                log, crypto,
                configuration, lifecycle, nioCore, nioPosix, hummingbirdCore, hummingbirdTLS,
                nioSSL,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .executableTarget(
            name: "CallsGatewayMain",
            dependencies: [
                "CallsGateway", "CallsBusClient", "CallsBusMessages", "Calls", configuration, lifecycle, unixSignals,
                log, argumentParser,
            ],
            swiftSettings: strictSwiftSettings
        ),
        // The event fan-out: an XSUB/XPUB proxy in front of a bus group. It reads its configuration with
        // the bus client's helpers and its admission rule from `Calls`; it links no bus service code.
        .target(
            name: "CallsProxy",
            dependencies: ["Calls", "CallsBusClient", "CallsBusMessages", "ZMQ", configuration, lifecycle, log],
            swiftSettings: strictSwiftSettings
        ),
        .executableTarget(
            name: "CallsProxyMain",
            dependencies: [
                "CallsProxy", "Calls", "CallsBusMessages", configuration, lifecycle, unixSignals, log, argumentParser,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .target(
            name: "CallsTesting",
            dependencies: ["CallsBusService", "CallsBusMessages", "Calls", "CallsJSON", "ZMQ", grdb, lifecycle, log],
            swiftSettings: strictSwiftSettings
        ),
        .executableTarget(
            name: "CallsBusMain",
            dependencies: [
                "CallsBusService", "CallsBusMessages", "Calls", configuration, lifecycle, unixSignals, log,
                argumentParser,
            ],
            swiftSettings: strictSwiftSettings
        ),
        // Load clients, latency summaries and the raw ROUTER baseline: no server code, so that both the
        // benchmarks and the `calls` command line use them.
        .target(name: "CallsLoad", dependencies: ["ZMQ", log], swiftSettings: strictSwiftSettings),
        .target(
            name: "CallsBench",
            dependencies: [
                "Calls", "CallsJSON", "CallsPhoneNumbers", "CallsBusMessages", "CallsBusService", "CallsStore",
                "CallsStorePostgres", "CallsBusClient", "CallsGateway", "CallsLoad", "CallsProxy",
                "ZMQ",
                hummingbird, nioCore, nioPosix, nioHTTP1, bcrypt, lifecycle, log, postgres,
            ],
            swiftSettings: strictSwiftSettings
        ),
        // Follows Kamailio's dialog events and acts through its RPC: a client of the bus, no server code.
        .target(
            name: "CallsKamailio",
            dependencies: [
                "Calls", "CallsBusClient", "CallsBusMessages", "CallsJSON", nioCore, nioPosix, lifecycle, log,
                configuration,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .executableTarget(
            name: "CallsKamailioMain",
            dependencies: [
                "CallsKamailio", "CallsBusClient", "CallsBusMessages", "Calls", configuration, lifecycle, unixSignals,
                log, argumentParser,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsKamailioTests",
            dependencies: ["CallsKamailio", "CallsBusClient", "Calls", "CallsJSON", configuration],
            swiftSettings: strictSwiftSettings),
        .executableTarget(name: "CallsJSONFuzz", dependencies: ["CallsJSON"], swiftSettings: strictSwiftSettings),
        .executableTarget(
            name: "CallsBenchMain",
            dependencies: ["CallsBench", argumentParser, log],
            swiftSettings: strictSwiftSettings
        ),
        // A client only: it links no server code (no store, service or gateway target, no GRDB or
        // Hummingbird). Tests/python/test_cli_dependencies.py fails if it ever does.
        .executableTarget(
            name: "CallsCLI",
            dependencies: [
                "CallsBusClient", "CallsBusMessages", "Calls", "CallsJSON", "CallsLoad", "ZMQ", argumentParser,
                lifecycle, unixSignals, log, configuration,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsCLITests",
            dependencies: [
                "CallsCLI", "CallsTesting", "CallsBusService", "CallsBusMessages", "Calls", "CallsJSON",
                "CallsPhoneNumbers",
                "ZMQ", lifecycle, log,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(name: "ZMQTests", dependencies: ["ZMQ"], swiftSettings: strictSwiftSettings),
        .testTarget(
            name: "CallsPhoneNumbersTests", dependencies: ["CallsPhoneNumbers", "Calls"],
            swiftSettings: strictSwiftSettings),
        .testTarget(
            name: "CallsJSONTests", dependencies: ["CallsJSON", propertyBased], swiftSettings: strictSwiftSettings),
        .testTarget(
            name: "CallsTests", dependencies: ["Calls", "CallsJSON", "CallsTesting", propertyBased],
            swiftSettings: strictSwiftSettings),
        .testTarget(
            name: "CallsBusMessagesTests",
            dependencies: ["CallsBusMessages", "Calls", "CallsJSON", "CallsTesting", propertyBased],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsStoreTests", dependencies: ["CallsStore", "CallsStorePostgres", "CallsTesting", "Calls", grdb],
            swiftSettings: strictSwiftSettings),
        .testTarget(
            name: "CallsStorePostgresTests",
            dependencies: ["CallsStorePostgres", "CallsStore", "CallsTesting", "Calls"],
            swiftSettings: strictSwiftSettings),
        .testTarget(
            name: "CallsBusClientTests",
            dependencies: [
                "CallsBusClient", "CallsBusService", "CallsTesting", "CallsBusMessages", "Calls", "CallsJSON", "ZMQ",
                lifecycle, log, configuration,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsGatewayTests",
            dependencies: [
                "CallsGateway", "CallsBusClient", "CallsBusMessages", "CallsBusService", "CallsTesting", "Calls",
                "CallsJSON",
                "ZMQ",
                hummingbird,
                hummingbirdTesting, httpTypes, bcrypt, lifecycle, log,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsCometDTests",
            dependencies: [
                "CallsCometD", "CallsGateway", "CallsBusClient", "CallsBusMessages", "CallsBusService", "CallsTesting",
                "Calls", "CallsJSON", hummingbird, hummingbirdTesting, lifecycle, log,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsProxyTests",
            dependencies: [
                "CallsProxy", "CallsBusClient", "CallsBusService", "CallsTesting", "CallsBusMessages", "Calls",
                "CallsJSON", "ZMQ", configuration, lifecycle, log,
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsBusServiceTests",
            dependencies: [
                "CallsBusService", "CallsTesting", "CallsBusMessages", "Calls", "CallsJSON", "CallsStore", "ZMQ",
                lifecycle, log, configuration,
            ],
            swiftSettings: strictSwiftSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)
