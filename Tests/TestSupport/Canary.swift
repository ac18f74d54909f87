import Foundation

/// Unique secret values for leak tests: each contains a random marker, so a hit in any
/// output can only come from the secret itself.
public enum Canary {
    public static func make(_ label: String) -> String {
        "cnry\(label)" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// The canaries found in `text`.
    public static func leaks(_ canaries: [String], in text: String) -> [String] {
        canaries.filter { text.contains($0) }
    }
}

/// Reads a setting the test script exports (scripts/test.sh). A test that reads one says so
/// with ``Testing/Trait/requires(_:sourceLocation:)``, which skips it, with a reason, where
/// the setting is missing (and fails it under scripts/test.sh); without the trait, a missing
/// setting fails the test here, so a run without servers never passes quietly.
public enum TestEnvironment {
    public static func require(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestServerError("\(name) is not set: run the suite with scripts/test.sh, which starts the servers")
        }
        return value
    }
}
