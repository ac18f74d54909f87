import EnvCheckCore
import Foundation

@testable import EnvCheckKeys

/// A project for `envcheck keys` tests, written to a fresh temporary directory.
struct KeysTestProject {
    let dir: String

    init(template: String?, settings: String, example: String) throws {
        dir = NSTemporaryDirectory() + "envcheck-keys-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let template { try write(KeysOptions.defaultTemplate, template) }
        try write(KeysOptions.defaultSettings, settings)
        try write(KeysOptions.defaultExample, example)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { dir + "/" + name }

    func options(
        strict: Bool = false, useTemplate: Bool = true, allow: [String] = KeysOptions.defaultAllowPrefixes,
        markers: ExampleParser.VaultMarkers = .line
    ) -> KeysOptions {
        KeysOptions(
            templates: [path(KeysOptions.defaultTemplate)], settings: [path(KeysOptions.defaultSettings)],
            examples: [path(KeysOptions.defaultExample)], useTemplate: useTemplate, allowPrefixes: allow, strict: strict,
            vaultMarkers: markers)
    }

    func findings(
        strict: Bool = false, useTemplate: Bool = true, allow: [String] = KeysOptions.defaultAllowPrefixes,
        markers: ExampleParser.VaultMarkers = .line
    ) throws -> [KeyFinding] {
        let options = options(strict: strict, useTemplate: useTemplate, allow: allow, markers: markers)
        return KeysChecker.check(try KeysLayers.load(options), options: options)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// The fixture projects under Fixtures/.
enum KeysFixtures {
    static func dir(_ name: String, file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    static func options(_ name: String) -> KeysOptions {
        let d = dir(name)
        return KeysOptions(templates: [d + "/secrets.ctmpl"], settings: [d + "/config.py"], examples: [d + "/.env.example"])
    }
}

extension Array where Element == KeyFinding {
    /// `KEY@line` for the findings with `code`, in report order.
    func at(_ code: ErrorCode) -> [String] { filter { $0.code == code }.map { "\($0.key)@\($0.line)" } }
    func severities(_ code: ErrorCode) -> [KeyFinding.Severity] { filter { $0.code == code }.map(\.severity) }
}

/// A minimal settings file reading the given `name: type` lines.
func settingsFile(_ fields: String, header: String = "") -> String {
    """
    from pydantic_settings import BaseSettings
    \(header)

    class Settings(BaseSettings):
    \(fields.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    """
}
