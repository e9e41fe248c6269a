// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swift-octavia",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "octavia", targets: ["octavia"]),
        .executable(name: "amphora-agent", targets: ["amphora-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Domain model, driver and store protocols, errors, status rules. No HTTP, no SQL.
        .target(
            name: "OctaviaCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // octavia.conf (oslo.config INI) parsing into typed settings.
        .target(name: "OctaviaConfig", dependencies: ["OctaviaCore"], swiftSettings: swiftSettings),
        // System zlib (Debian zlib1g-dev) for the heartbeat envelope.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Agent wire types shared by the controller's client and the amphora agent, and the heartbeat envelope.
        .target(
            name: "OctaviaAmphoraWire",
            dependencies: ["CZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Pure haproxy.cfg renderer.
        .target(name: "OctaviaHAProxyConfig", dependencies: ["OctaviaCore"], swiftSettings: swiftSettings),
        // SQL store over SQLKit (SQLite now; dialect-neutral for PostgreSQL).
        .target(
            name: "OctaviaPersistence",
            dependencies: [
                "OctaviaCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Local CA and certificate issuing for agent mTLS.
        .target(
            name: "OctaviaLocalCerts",
            dependencies: [
                "OctaviaCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared process / netns helpers used by local drivers and the agent.
        .target(
            name: "OctaviaSystem",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // mTLS client for the amphora agent REST API.
        .target(
            name: "OctaviaAmphoraDriver",
            dependencies: [
                "OctaviaCore", "OctaviaAmphoraWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Local compute (network-namespace amphorae) and local networks (bridges).
        .target(
            name: "OctaviaLocalDrivers",
            dependencies: [
                "OctaviaCore", "OctaviaSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Noop drivers that only record calls.
        .target(name: "OctaviaNoopDrivers", dependencies: ["OctaviaCore"], swiftSettings: swiftSettings),
        // Flow engine, tasks, flows and the job-consuming controller worker.
        .target(
            name: "OctaviaWorker",
            dependencies: [
                "OctaviaCore", "OctaviaHAProxyConfig",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Keystone token validation and oslo.policy-style rule evaluation (default rules + YAML overrides).
        .target(
            name: "OctaviaAuth",
            dependencies: [
                "OctaviaCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Octavia v2 REST API.
        .target(
            name: "OctaviaAPI",
            dependencies: [
                "OctaviaCore", "OctaviaAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Housekeeping: purge of old DELETED rows.
        .target(
            name: "OctaviaHousekeeping",
            dependencies: [
                "OctaviaCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Health manager: UDP heartbeat receiver, operating-status and statistics updates, stale-amphora failover.
        .target(
            name: "OctaviaHealthManager",
            dependencies: [
                "OctaviaCore", "OctaviaAmphoraWire", "OctaviaConfig",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Prometheus metrics: the registry every daemon records into and the HTTP endpoint that serves it.
        .target(
            name: "OctaviaMetrics",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Driver agent: octavia-lib's Unix-socket status/stats/get endpoints for out-of-process provider drivers.
        .target(
            name: "OctaviaDriverAgent",
            dependencies: [
                "OctaviaCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The agent that runs inside each amphora beside HAProxy.
        .target(
            name: "OctaviaAmphoraAgent",
            dependencies: [
                "OctaviaAmphoraWire", "OctaviaSystem", "OctaviaConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "octavia",
            dependencies: [
                "OctaviaCore", "OctaviaConfig", "OctaviaPersistence", "OctaviaLocalCerts",
                "OctaviaAmphoraDriver", "OctaviaLocalDrivers", "OctaviaNoopDrivers",
                "OctaviaWorker", "OctaviaAPI", "OctaviaHousekeeping", "OctaviaHAProxyConfig",
                "OctaviaHealthManager", "OctaviaMetrics", "OctaviaDriverAgent", "OctaviaAuth", "OctaviaSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "amphora-agent",
            dependencies: [
                "OctaviaAmphoraAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaHealthManagerTests",
            dependencies: [
                "OctaviaHealthManager", "OctaviaCore", "OctaviaAmphoraWire", "OctaviaPersistence", "OctaviaNoopDrivers",
                "OctaviaConfig",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaServicesTests",
            dependencies: [
                "OctaviaMetrics", "OctaviaDriverAgent", "OctaviaHousekeeping", "OctaviaCore", "OctaviaPersistence",
                "OctaviaNoopDrivers",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaAuthTests",
            dependencies: [
                "OctaviaAuth", "OctaviaCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "OctaviaCoreTests", dependencies: ["OctaviaCore"], swiftSettings: swiftSettings),
        .testTarget(name: "OctaviaConfigTests", dependencies: ["OctaviaConfig", "OctaviaCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "OctaviaHAProxyConfigTests",
            dependencies: ["OctaviaHAProxyConfig", "OctaviaCore"],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaPersistenceTests",
            dependencies: ["OctaviaPersistence", "OctaviaCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaWorkerTests",
            dependencies: [
                "OctaviaWorker", "OctaviaCore", "OctaviaPersistence", "OctaviaNoopDrivers",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaAPITests",
            dependencies: [
                "OctaviaAPI", "OctaviaAuth", "OctaviaCore", "OctaviaPersistence", "OctaviaNoopDrivers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaLocalDriversTests",
            dependencies: [
                "OctaviaLocalDrivers", "OctaviaCore", "OctaviaPersistence", "OctaviaSystem",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctaviaAmphoraTests",
            dependencies: [
                "OctaviaAmphoraAgent", "OctaviaAmphoraDriver", "OctaviaAmphoraWire", "OctaviaLocalCerts", "OctaviaCore",
                "OctaviaConfig", "OctaviaSystem", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
