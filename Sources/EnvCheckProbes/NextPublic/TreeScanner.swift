import EnvCheckCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scans the files of a ``BuildTree`` on a few threads of their own (never Swift's
/// cooperative pool, which blocking reads would stall): one pass per file for every
/// needle, in chunks with an overlap, so memory stays bounded whatever the file sizes.
struct TreeScanner: Sendable {
    struct Problem: Sendable, Equatable {
        let file: String
        let reason: String
    }

    struct Hit: Sendable {
        let file: BuildTree.File
        let findings: FileFindings
    }

    struct Result: Sendable {
        var filesScanned = 0
        var bytesScanned = 0
        var problems: [Problem] = []
        /// Files where something was found.
        var hits: [Hit] = []
        var timedOut = false

        mutating func merge(_ other: Result) {
            filesScanned += other.filesScanned
            bytesScanned += other.bytesScanned
            problems += other.problems
            hits += other.hits
            timedOut = timedOut || other.timedOut
        }
    }

    let targets: ScanTargets
    var reader: any BuildFileReader = PosixBuildFileReader()
    var workers = TreeScanner.defaultWorkers
    var chunkSize = 1 << 20

    /// One per core, at least 2 and at most 4.
    static var defaultWorkers: Int { min(4, max(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }

    init(targets: ScanTargets) { self.targets = targets }

    /// Scans `files` (largest first, for balance); stops at `deadline` with the counts so far.
    func scan(_ files: [BuildTree.File], deadline: Deadline) async -> Result {
        let ordered = files.sorted { $0.size > $1.size }
        let queue = WorkQueue()
        let threads = min(workers, max(1, ordered.count))
        return await withTaskGroup(of: Result.self) { group in
            for _ in 0..<threads {
                group.addTask { await Blocking.run { self.work(ordered, queue, deadline) } }
            }
            var total = Result()
            for await part in group { total.merge(part) }
            return total
        }
    }

    private func work(_ files: [BuildTree.File], _ queue: WorkQueue, _ deadline: Deadline) -> Result {
        var result = Result()
        let overlap = max(targets.client.overlap, targets.other.overlap)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + overlap, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let index = queue.next.add(1, ordering: .relaxed).oldValue
            guard index < files.count else { break }
            if deadline.hasPassed { result.timedOut = true; break }
            let file = files[index]
            let matcher = file.role == .clientScript ? targets.client : targets.other
            do {
                let (findings, bytes, complete) = try scan(file, matcher, buffer, overlap: overlap, deadline: deadline)
                result.bytesScanned += bytes
                guard complete else { result.timedOut = true; break }
                result.filesScanned += 1
                if !findings.isEmpty { result.hits.append(Hit(file: file, findings: findings)) }
            } catch {
                result.problems.append(Problem(file: file.relative, reason: error.reason))
            }
        }
        return result
    }

    /// One file, chunk by chunk; the last `overlap` bytes of a chunk start the next one.
    private func scan(_ file: BuildTree.File, _ matcher: TaggedMatcher, _ buffer: UnsafeMutableRawBufferPointer,
                      overlap: Int, deadline: Deadline) throws(BuildFileError) -> (FileFindings, Int, Bool) {
        let stream = try reader.open(file.path)
        var findings = FileFindings()
        var kept = 0
        var total = 0
        var scannedBefore = false
        var matches: [LiteralMatcher.Match] = []
        while true {
            if deadline.hasPassed { return (findings, total, false) }
            var filled = kept
            var end = false
            while filled < buffer.count {
                let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                filled += n
                total += n
                if n == 0 || total >= file.size { end = true; break }
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            if filled == kept && scannedBefore {
                // The file ended just after a full chunk: settle what that chunk left open.
                matcher.scan(chunk, final: true, into: &findings, matches: &matches)
                break
            }
            matcher.scan(chunk, final: end, into: &findings, matches: &matches)
            scannedBefore = true
            if end { break }
            kept = min(overlap, filled)
            memmove(buffer.baseAddress!, buffer.baseAddress! + (filled - kept), kept)
        }
        return (findings, total, true)
    }
}

/// The next file index, shared by the workers.
private final class WorkQueue: Sendable {
    let next = Atomic<Int>(0)
}

extension FileFindings {
    var isEmpty: Bool { values.isEmpty && secrets.isEmpty && notInlined.isEmpty && shapes.isEmpty }
}
