// swift-tools-version:6.1
import PackageDescription

/// Code that runs once per invocation (configuration, reports, the command line) is
/// optimised for size: fewer pages to load on every healthcheck. Hot loops (the Next.js
/// scan, SigV4) live in EnvCheckProbes, which keeps -O.
let sizeOptimised: [SwiftSetting] = [.unsafeFlags(["-Osize"], .when(configuration: .release))]

let package = Package(
    name: "envcheck",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "envcheck", targets: ["envcheck"]),
        // `envcheck serve` execs it: the HTTP server's library stays out of `envcheck` (and so
        // out of every healthcheck's start-up); docs/serve.md.
        .executable(name: "envcheck-serve", targets: ["envcheck-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // No traits: swift-configuration and full Foundation are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries from Debian: module maps only, plus shims for what Swift cannot call.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // The next_public scan's SIMD kernel: C, because Swift cannot compile SSSE3/AVX2 code
        // behind a run-time CPU check (Sources/CTeddy/include/teddy.h).
        .target(name: "CTeddy"),
        // Its hash filter for many needles (Sources/CHashScan/include/hashscan.h).
        .target(name: "CHashScan"),

        // Everything that is not a C binding: config, probe model, runner, reports.
        .target(name: "EnvCheckCore", swiftSettings: sizeOptimised),
        // `envcheck keys`: the Python settings reader, the template and .env.example readers,
        // the checker and its report. The CLI also reads .env.example with it (--env-example).
        .target(name: "EnvCheckKeys", dependencies: ["EnvCheckCore"], swiftSettings: sizeOptimised),
        // The only target that imports the C modules.
        .target(
            name: "EnvCheckProbes",
            dependencies: ["EnvCheckCore", "EnvCheckKeys", "CLibPQ", "CHiredis", "CCurl", "COpenSSL", "CTeddy", "CHashScan"]
        ),
        // The commands, over the registry they are given (tests run them in-process).
        .target(
            name: "EnvCheckCLI",
            dependencies: [
                "EnvCheckCore", "EnvCheckKeys", "EnvCheckProbes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sizeOptimised
        ),
        // main.swift only: the built-in registry handed to the command line.
        .executableTarget(
            name: "envcheck",
            dependencies: ["EnvCheckCLI", "EnvCheckProbes"],
            swiftSettings: sizeOptimised,
            // A position-dependent executable: the loader need not relocate (and so dirty)
            // the binary's data pages at every start, which saves about 2 MiB of memory and
            // a millisecond per healthcheck. The shared libraries stay position-independent.
            linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(configuration: .release))]
        ),
        // `serve`'s HTTP side: Hummingbird behind the CLI's ``ServeHost`` seam, in one file.
        .target(
            name: "EnvCheckServe",
            dependencies: [
                "EnvCheckCore", .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: sizeOptimised
        ),
        // main.swift only: the same command line as `envcheck`, with the HTTP server plugged in.
        .executableTarget(
            name: "envcheck-serve",
            dependencies: ["EnvCheckServe", "EnvCheckCLI", "EnvCheckProbes"],
            swiftSettings: sizeOptimised
        ),

        .target(name: "TestSupport", dependencies: ["EnvCheckCore"], path: "Tests/TestSupport"),
        // The harness's own rules: what a missing server or program skips, and that
        // scripts/test.sh turns such a skip into a failure.
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "EnvCheckCoreTests", dependencies: ["EnvCheckCore", "TestSupport"], exclude: ["Reporters/Golden"]),
        .testTarget(name: "EnvCheckKeysTests", dependencies: ["EnvCheckKeys", "EnvCheckCore", "TestSupport"], exclude: ["Fixtures"]),
        // The fakes every probe kind's seam takes (HTTP transport, byte stream), side by side.
        .target(name: "ProbeTestSupport", dependencies: ["EnvCheckProbes", "EnvCheckCore"], path: "Tests/ProbeTestSupport"),
        .testTarget(name: "EnvCheckProbesTests", dependencies: ["EnvCheckProbes", "EnvCheckCore", "ProbeTestSupport", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["EnvCheckProbes", "EnvCheckCore", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["envcheck", "EnvCheckProbes", "TestSupport"]),
        // `serve`: its HTTP server in-process (limits, deadlines, drain), the command over it,
        // and the binaries with real Redis and Prometheus (docs/serve.md).
        .testTarget(
            name: "ServeTests",
            dependencies: ["envcheck", "envcheck-serve", "EnvCheckServe", "EnvCheckCLI", "EnvCheckProbes", "EnvCheckCore", "TestSupport"]
        ),
        // Per-kind fixtures for the generic tests, in folders mirroring the probes'; never
        // part of the release binary.
        .target(name: "ProbeFixtures", dependencies: ["EnvCheckCLI", "EnvCheckCore", "EnvCheckServe", "TestSupport"], path: "Tests/ProbeFixtures"),
        // Canary secrets through every route, every kind, every output (docs/security.md).
        .testTarget(
            name: "LeakTests", dependencies: ["envcheck", "envcheck-serve", "EnvCheckCLI", "EnvCheckProbes", "EnvCheckCore", "ProbeFixtures", "TestSupport"]),
    ]
)
