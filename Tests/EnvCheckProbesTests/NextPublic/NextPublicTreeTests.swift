import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct NextPublicTreeTests {
    @Test func symlinkLoopsAndUnreadableFilesNeitherHangNorCrash() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/app/page.js", ChunkShapes.webpack(literals: ["https://api.shop.test"]))
        try build.symlink("static/chunks/app/loop", to: "..")
        try build.symlink("static/chunks/self", to: ".")
        try build.symlink("static/chunks/gone.js", to: "missing-target.js")
        try build.fifo("static/chunks/pipe.js")
        try build.write("static/chunks/dir.js/inner.js", "var x=1;")
        try build.symlink("static/chunks/linked.js", to: "app/page.js")
        let result = await outcome(of: try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test"]), timeout: .seconds(10))
        #expect(result.status == .pass, "\(result.message)")
        #expect(result.details.int("unreadable_files") == 2)
        let unreadable = result.details.array("unreadable").compactMap { $0.objectValue?["file"]?.stringValue }
        #expect(Set(unreadable) == ["static/chunks/gone.js", "static/chunks/pipe.js"])
        #expect(result.details.int("symlinked_dirs_skipped") == 2)
        #expect(result.details.int("files_scanned") == 3, "page.js, dir.js/inner.js and the symlinked file")
        #expect(result.message.contains("2 unreadable"))
    }

    @Test func readErrorsFromTheReaderAreCountedNotFatal() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/ok.js", ChunkShapes.webpack(literals: ["https://api.shop.test"]))
        try build.write("static/chunks/denied.js", "var a=1;")
        try build.write("static/chunks/broken.js", String(repeating: "x", count: 5_000))
        var probe = try build.probe(
            ["NEXT_PUBLIC_API_URL": "https://api.shop.test"],
            dependencies: .init(reader: FailingReader(denied: "denied.js", brokenAfterFirstRead: "broken.js")))
        probe.chunkSize = 1_000
        let result = await outcome(of: probe)
        #expect(result.status == .pass, "\(result.message)")
        let problems = result.details.array("unreadable").compactMap { $0.objectValue }
            .map { "\($0["file"]?.stringValue ?? ""): \($0["reason"]?.stringValue ?? "")" }
        #expect(Set(problems) == ["static/chunks/denied.js: Permission denied", "static/chunks/broken.js: Input/output error"])
        #expect(result.details.int("files_scanned") == 1)
    }

    @Test(.requires(.serialRun)) func theDeadlineStopsTheScanWithCountsSoFar() async throws {
        let build = try NextBuildFixture()
        for i in 0..<40 { try build.write("static/chunks/c\(i).js", "var a\(i)=\"https://api.shop.test\";") }
        var probe = try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test"], dependencies: .init(reader: FailingReader(delay: .milliseconds(30))))
        probe.workers = 2
        let started = ContinuousClock.now
        let result = await outcome(of: probe, timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - started
        #expect(result.status == .fail)
        #expect(result.code == .timeout)
        #expect(result.message.contains("stopped at the deadline"))
        #expect(result.details.int("files_found") == 40)
        let scanned = try #require(result.details.int("files_scanned"))
        #expect(scanned > 0 && scanned < 40)
        #expect(elapsed < .milliseconds(600), "ended \(elapsed) after a 300ms deadline (30ms reads, a loaded 2-core machine)")
    }

    @Test func largeFilesStreamInChunksAndMatchesAcrossBoundariesAreFound() async throws {
        let build = try NextBuildFixture()
        let secret = Canary.make("big")
        var text = String(repeating: "function(e){return e&&e.__esModule?e:{default:e}};", count: 3_000)
        text += "var u=\"https://api.shop.test/graphql\";" + String(repeating: "a", count: 777)
        text += "const s=\"\(secret)\";" + String(repeating: "b", count: 1_234) + "x=r.env.NEXT_PUBLIC_LATE"
        try build.write("static/chunks/big.js", text)
        for chunk in [7, 100, 4_096, 1 << 20] {
            var probe = try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test/graphql", "STRIPE_SECRET_KEY": secret])
            probe.chunkSize = chunk
            let result = await outcome(of: probe)
            #expect(result.details.keyStatus("NEXT_PUBLIC_API_URL") == "baked", "chunk \(chunk)")
            #expect(result.details.located("leaks") == ["STRIPE_SECRET_KEY@static/chunks/big.js"], "chunk \(chunk)")
            #expect(result.details.located("not_inlined") == ["NEXT_PUBLIC_LATE@static/chunks/big.js"], "chunk \(chunk)")
            #expect(result.details.int("bytes_scanned") == text.utf8.count)
        }
    }

    @Test func filesOpenInTheirListedDirectoryEvenAfterItMoves() throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/a.js", "var a=1;")
        try build.write("static/chunks/b.js", "var b=2;")
        let root = try #require(BuildTree.roots(of: build.dir).first)
        let chunks = try #require(BuildTree.list(root, in: build.dir).directories.first)
        let files = BuildTree.list(chunks, in: build.dir).files
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.directory != nil && $0.directory === files[0].directory })
        // By path it is gone; through the kept descriptor it is still there.
        try FileManager.default.moveItem(atPath: build.dir + "/static/chunks", toPath: build.dir + "/static/moved")
        let stream = try PosixBuildFileReader().open(try #require(files.first { $0.name == "a.js" }))
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = try bytes.withUnsafeMutableBytes { buffer throws(BuildFileError) in try stream.read(into: buffer) }
        #expect(String(decoding: bytes.prefix(count), as: UTF8.self) == "var a=1;")
    }

    @Test func moreDirectoriesThanKeptDescriptorsAreScannedByPath() async throws {
        let build = try NextBuildFixture()
        let count = DirectoryHandle.limit + 16
        for i in 0..<count { try build.write("static/chunks/app/r\(i)/page.js", "var u\(i)=\"https://api.shop.test\";") }
        let result = await outcome(of: try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test"]))
        #expect(result.status == .pass, "\(result.message)")
        #expect(result.details.int("files_scanned") == count)
        #expect(result.details.int("unreadable_files") == 0)
        #expect(DirectoryHandle.open <= DirectoryHandle.limit)
    }

    @Test func binaryFilesAreScannedAsBytes() async throws {
        let build = try NextBuildFixture()
        let secret = Canary.make("bin")
        var bytes = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        bytes.insert(contentsOf: Array(secret.utf8), at: 9_000)
        try build.write("static/media/font.woff2", Data(bytes))
        let result = await outcome(of: try build.probe(["FONT_LICENSE_KEY": secret]))
        #expect(result.details.located("leaks") == ["FONT_LICENSE_KEY@static/media/font.woff2"])
    }
}

/// A reader that fails or slows down on demand, for what root cannot provoke with modes.
struct FailingReader: BuildFileReader {
    var denied: String? = nil
    var brokenAfterFirstRead: String? = nil
    var delay: Duration? = nil

    func open(_ file: BuildTree.File) throws(BuildFileError) -> any BuildFileStream {
        if let denied, file.path.hasSuffix(denied) { throw BuildFileError(reason: "Permission denied") }
        let real = try PosixBuildFileReader().open(file)
        return Stream(real: real, breaks: brokenAfterFirstRead.map { file.path.hasSuffix($0) } ?? false, delay: delay)
    }

    final class Stream: BuildFileStream {
        let real: any BuildFileStream
        let breaks: Bool
        let delay: Duration?
        var reads = 0
        init(real: any BuildFileStream, breaks: Bool, delay: Duration?) {
            self.real = real
            self.breaks = breaks
            self.delay = delay
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(BuildFileError) -> Int {
            reads += 1
            if breaks && reads > 1 { throw BuildFileError(reason: "Input/output error") }
            if let delay { usleep(UInt32(delay.milliseconds * 1_000)) }
            return try real.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(breaks ? 100 : buffer.count)))
        }
    }
}
