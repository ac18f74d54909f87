// swift-tools-version:6.0
import PackageDescription

/// The next_public matcher (Swift and its C kernel) and its tests, alone, so CI can build
/// them under AddressSanitizer and UndefinedBehaviorSanitizer without rebuilding the whole
/// package twice. Every source is a symlink into the main package: nothing is copied.
/// Run by scripts/sanitize.sh.
let package = Package(
    name: "envcheck-sanitized",
    targets: [
        .target(name: "CTeddy", path: "CTeddy"),
        .target(name: "CHashScan", path: "CHashScan"),
        // The Core files the matcher uses (String.trimmingSpaces, Hex).
        .target(name: "EnvCheckCore", path: "Core"),
        // Named as in the main package, so the test file's `@testable import` is unchanged.
        .target(name: "EnvCheckProbes", dependencies: ["CTeddy", "CHashScan", "EnvCheckCore"], path: "Matcher"),
        .target(name: "TestSupport", path: "TestSupport"),
        .testTarget(name: "MatcherTests", dependencies: ["EnvCheckProbes", "TestSupport"], path: "MatcherTests"),
    ]
)
