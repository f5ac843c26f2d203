// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target of ours shares (see ../shared/style.md, section 3).
let strictSwiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "calls-bus",
    products: [
        .library(name: "ZMQ", targets: ["ZMQ"]),
        .library(name: "Calls", targets: ["Calls"]),
    ],
    targets: [
        .systemLibrary(
            name: "CZMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(
            name: "ZMQ",
            dependencies: ["CZMQ"],
            swiftSettings: strictSwiftSettings
        ),
        .target(
            name: "CPhoneNumber",
            linkerSettings: [
                .linkedLibrary("phonenumber"),
                .linkedLibrary("geocoding"),
                .linkedLibrary("icuuc"),
                .linkedLibrary("stdc++"),
            ]
        ),
        .target(
            name: "Calls",
            dependencies: ["CPhoneNumber"],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "ZMQTests",
            dependencies: ["ZMQ"],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "CallsTests",
            dependencies: ["Calls"],
            swiftSettings: strictSwiftSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)
