import Foundation
import TestSupport
import Testing

/// Each C module is imported by exactly one Swift file, which owns its pointers; raw C
/// result codes become named Swift values there (docs/design.md, code map).
@Suite("one file per C module")
struct CModuleImportTests {
    @Test func everyCModuleHasOneImportingFile() throws {
        let sources = repositoryRoot + "/Sources"
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources).filter { $0.hasPrefix("C") }.sorted()
        #expect(modules == ["CCurl", "CHashScan", "CHiredis", "CLibPQ", "COpenSSL", "CTeddy"])
        var importers: [String: [String]] = [:]
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import C") {
                importers[String(line.dropFirst("import ".count)), default: []].append(file)
            }
        }
        for module in modules {
            #expect(importers[module]?.count == 1, "\(module) is imported by \(importers[module] ?? [])")
        }
    }
}
