import EnvCheckCore
import Foundation
import Testing

@testable import EnvCheckProbes

/// A Next.js build directory in a temp dir, written file by file, removed on `cleanup`.
final class NextBuildFixture {
    let root: String
    var dir: String { root + "/.next" }

    init() throws {
        root = NSTemporaryDirectory() + "envcheck-next-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/.next/static/chunks", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` at `relative` (under `.next`), creating directories.
    func write(_ relative: String, _ text: String) throws { try write(relative, Data(text.utf8)) }

    func write(_ relative: String, _ data: Data) throws {
        let path = dir + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    func symlink(_ relative: String, to destination: String) throws {
        let path = dir + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: destination)
    }

    func fifo(_ relative: String) throws {
        #expect(mkfifo(dir + "/" + relative, 0o644) == 0)
    }

    /// The probe as the registry sets it up from `config` (and `options`).
    func probe(
        _ config: [String: String], options: JSONObject = JSONObject(),
        dependencies: NextPublicProbe.Dependencies = .live
    ) throws -> NextPublicProbe {
        let settings = ProbeSettings(
            id: "next_public", config: ResolvedConfig(config), options: options,
            global: GlobalSettings(nextDir: dir))
        guard case .ready(let probe) = NextPublicProbe.kind(dependencies).setup(settings), let probe = probe as? NextPublicProbe else {
            throw FixtureError("next_public did not set up")
        }
        return probe
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Minified chunk shapes seen in real builds (docs/protocols.md §2).
enum ChunkShapes {
    /// A webpack App Router page chunk: inlined literals, and `r.env.X` where a variable
    /// was unset at build time (the `process` polyfill import).
    static func webpack(literals: [String], unset: [String] = []) -> String {
        let values = literals.enumerated().map { "l\($0.offset)=\"\($0.element)\"" }.joined(separator: ",")
        let refs = unset.enumerated().map { ",u\($0.offset)=r.env.\($0.element)" }.joined()
        return "\"use strict\";(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[931],{4871:function(e,t,n){"
            + "Promise.resolve().then(n.bind(n,2315));var r=n(87358),s=n(57437);let \(values.isEmpty ? "z=0" : values)\(refs);"
            + "function i(){return(0,s.jsx)(\"main\",{className:\"flex min-h-screen\",children:l0})}t.default=i}},"
            + "function(e){e.O(0,[971,23,744],function(){return e(e.s=4871)}),_N_E=e.O()}]);"
    }

    /// A Turbopack (Next 15/16) client chunk: `t.default.env.X` and `e.i(47167).default.env.X`.
    static func turbopack(literals: [String], unset: [String] = []) -> String {
        let values = literals.map { "\"\($0)\"" }.joined(separator: ",")
        let refs = unset.enumerated().map { $0.offset % 2 == 0 ? "t.default.env.\($0.element)" : "e.i(47167).default.env.\($0.element)" }
            .joined(separator: ",")
        return "(globalThis.TURBOPACK=globalThis.TURBOPACK||[]).push([\"object\"==typeof document?document.currentScript:void 0,"
            + "{47167:(e,r,t)=>{\"use strict\";var t=e.i(47167);let n=[\(values)],o=[\(refs)];e.s([\"default\",()=>n])}}]);"
    }
}

/// Runs a probe and returns its outcome, failures included.
/// Runs the probe as the runner does; its code must be one the kind declares.
func outcome(of probe: NextPublicProbe, timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation) async -> ProbeOutcome {
    let outcome = await Runner.outcome(of: probe, ProbeContext(id: "next_public", deadline: .after(timeout), timeout: timeout))
    #expect(NextPublicProbe.kind.undeclared(outcome.code, status: outcome.status) == nil, sourceLocation: sourceLocation)
    return outcome
}

/// Everything of an outcome that leaves the process, as one text.
func printed(_ outcome: ProbeOutcome) -> String {
    [outcome.message.text, outcome.hint?.text ?? "", JSONWriter.write(.object(outcome.details))].joined(separator: "\n")
}

extension JSONObject {
    func int(_ key: String) -> Int? { if case .int(let i) = self[key] { i } else { nil } }
    func array(_ key: String) -> [JSONValue] { self[key]?.arrayValue ?? [] }
    /// `[{key, file}]` entries as "key@file".
    func located(_ key: String) -> [String] {
        array(key).compactMap { $0.objectValue }.map { "\($0["key"]?.stringValue ?? "")@\($0["file"]?.stringValue ?? "")" }
    }
    func keyStatus(_ key: String) -> String? { self["keys"]?.objectValue?[key]?.objectValue?["status"]?.stringValue }
}
