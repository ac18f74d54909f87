import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// Codes are data: every code a kind's folder defines is declared by the kind, every code
/// Core defines is a shared declaration, and the README's codes table is the one
/// `envcheck list --codes --format markdown` prints. (Each kind's unit tests also check
/// every code they observe against the kind's declarations.)
@Suite struct DeclaredCodesTests {
    static let sources = repositoryRoot + "/Sources"

    /// `ErrorCode("name")` in every Swift file under `directory`.
    static func definedCodes(under directory: String, skipping skipped: Set<String> = []) throws -> Set<String> {
        var codes = Set<String>()
        let files = try #require(FileManager.default.enumerator(atPath: directory)).compactMap { $0 as? String }
        for file in files where file.hasSuffix(".swift") && !skipped.contains(where: { file.hasPrefix($0) }) {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            for match in text.matches(of: /ErrorCode\("([a-z0-9_]+)"\)/) { codes.insert(String(match.output.1)) }
        }
        return codes
    }

    /// The folder of a kind: its name without underscores, any case (`next_public` → NextPublic).
    static func folder(of kind: String) throws -> String {
        let folders = try FileManager.default.contentsOfDirectory(atPath: sources + "/EnvCheckProbes")
        let name = kind.replacing("_", with: "")
        return try #require(folders.first { $0.lowercased() == name }, "no folder for kind \(kind) in Sources/EnvCheckProbes")
    }

    @Test(arguments: BuiltInProbes.registry.kinds.map(\.kind))
    func everyCodeAKindsFolderDefinesIsDeclared(_ kind: String) throws {
        let declared = Set(try #require(BuiltInProbes.registry.kind(kind)).allCodes.map(\.code.rawValue))
        let defined = try Self.definedCodes(under: Self.sources + "/EnvCheckProbes/" + Self.folder(of: kind))
        #expect(defined.subtracting(declared).sorted() == [], "declare these in \(kind)'s registry entry (ProbeKind.codes)")
    }

    /// The scan above must see codes at all: most kinds define some of their own (`tcp`
    /// gives shared codes only).
    @Test func theFolderScanFindsCodes() throws {
        let kinds = BuiltInProbes.registry.kinds.map(\.kind)
        let defining = try kinds.filter { !(try Self.definedCodes(under: Self.sources + "/EnvCheckProbes/" + Self.folder(of: $0)).isEmpty) }
        #expect(defining.count >= kinds.count - 1, "only \(defining) define codes")
        #expect(defining.contains("postgres") && defining.contains("redis"))
    }

    @Test func everyCodeCoreDefinesIsASharedDeclaration() throws {
        // Keys findings (`envcheck keys`) are not probe results.
        let defined = try Self.definedCodes(under: Self.sources + "/EnvCheckCore", skipping: ["Keys/"])
        #expect(defined.count >= 18)
        #expect(defined.subtracting(ProbeCode.shared.map(\.code.rawValue)).sorted() == [], "declare these in Sources/EnvCheckCore/Probe/SharedCodes.swift")
    }

    @Test func theRegistryDeclaresItsCodesWell() {
        #expect(BuiltInProbes.registry.problems == [])
        for kind in BuiltInProbes.registry.kinds {
            #expect(kind.codes.count >= 5, "\(kind.kind) declares only \(kind.codes.map(\.code))")
        }
    }

    static let begin = "<!-- codes:begin -->", end = "<!-- codes:end -->"
    static let fix = "run scripts/readme-codes.sh (it writes `envcheck list --codes --format markdown` between \(begin) and \(end))"

    @Test func theReadmeCodesTableIsGeneratedFromTheDeclarations() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.firstRange(of: Self.begin), "README.md has no \(Self.begin) marker")
        let stop = try #require(readme.firstRange(of: Self.end), "README.md has no \(Self.end) marker")
        let table = readme[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .newlines)
        let generated = CodesReport.markdown(BuiltInProbes.registry).trimmingCharacters(in: .newlines)
        #expect(table == generated, "README.md's codes table is out of date: \(Self.fix)")
    }

    @Test func theReadmeRulesAreGeneratedFromTheRules() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.firstRange(of: "<!-- rules:begin -->"), "README.md has no <!-- rules:begin --> marker")
        let stop = try #require(readme.firstRange(of: "<!-- rules:end -->"), "README.md has no <!-- rules:end --> marker")
        let section = readme[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .newlines)
        let generated = RulesReport.markdown(BuiltInProbes.registry).trimmingCharacters(in: .newlines)
        #expect(generated.contains("`environment_known`"))
        #expect(section == generated, "README.md's environment rules are out of date: run scripts/readme-codes.sh")
    }
}
