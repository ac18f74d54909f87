import EnvCheckCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Walks and scans a build directory on a few threads of their own (never Swift's
/// cooperative pool, which blocking reads would stall). The workers share one queue:
/// each lists a directory or scans a file, so scanning starts with the first listing.
/// One pass per file for every needle, in chunks with an overlap, so memory stays
/// bounded whatever the file sizes.
struct TreeScanner: Sendable {
    struct Hit: Sendable {
        let file: BuildTree.File
        let findings: FileFindings
    }

    struct Result: Sendable {
        var filesFound = 0
        var filesScanned = 0
        var bytesScanned = 0
        var problems: [BuildTree.Problem] = []
        var symlinkedDirectoriesSkipped = 0
        /// Files where something was found.
        var hits: [Hit] = []
        var timedOut = false

        mutating func merge(_ other: Result) {
            filesScanned += other.filesScanned
            bytesScanned += other.bytesScanned
            problems += other.problems
            symlinkedDirectoriesSkipped += other.symlinkedDirectoriesSkipped
            hits += other.hits
            timedOut = timedOut || other.timedOut
        }
    }

    let targets: ScanTargets
    var reader: any BuildFileReader = PosixBuildFileReader()
    var workers = TreeScanner.defaultWorkers
    var chunkSize = TreeScanner.defaultChunkSize

    /// 256 KiB: a chunk the kernel has just copied is still in the core's L2 cache when
    /// the matcher reads it (1 MiB was no faster, and cost 1.5 MiB more peak memory).
    static let defaultChunkSize = 256 << 10

    /// One per core, at least 2 and at most 4.
    static var defaultWorkers: Int { min(4, max(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }

    init(targets: ScanTargets) { self.targets = targets }

    /// Scans everything under `roots`; stops at `deadline` with the counts so far.
    func scan(_ buildDir: String, roots: [BuildTree.Directory], deadline: Deadline) async -> Result {
        let queue = WorkQueue(roots)
        var total = await withTaskGroup(of: Result.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask { await Blocking.run { self.work(buildDir, queue, deadline) } }
            }
            var total = Result()
            for await part in group { total.merge(part) }
            return total
        }
        total.filesFound = queue.filesFound
        return total
    }

    private func work(_ buildDir: String, _ queue: WorkQueue, _ deadline: Deadline) -> Result {
        var result = Result()
        let overlap = max(targets.client.overlap, targets.other.overlap)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + overlap, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            if deadline.hasPassed {
                result.timedOut = true
                break
            }
            switch queue.next() {
            case .done: return result
            case .wait: usleep(50)
            case .directory(let directory):
                let listing = BuildTree.list(directory, in: buildDir)
                result.problems += listing.problems
                result.symlinkedDirectoriesSkipped += listing.symlinkedDirectoriesSkipped
                queue.add(listing)
            case .file(let file):
                let matcher = file.role == .clientScript ? targets.client : targets.other
                do {
                    let (findings, bytes, complete) = try scan(file, matcher, buffer, overlap: overlap, deadline: deadline)
                    result.bytesScanned += bytes
                    guard complete else {
                        result.timedOut = true
                        return result
                    }
                    result.filesScanned += 1
                    if !findings.isEmpty { result.hits.append(Hit(file: file, findings: findings)) }
                } catch {
                    result.problems.append(BuildTree.Problem(file: file.relative, reason: error.reason))
                }
            }
        }
        return result
    }

    /// One file, chunk by chunk; the last `overlap` bytes of a chunk start the next one.
    private func scan(
        _ file: BuildTree.File, _ matcher: TaggedMatcher, _ buffer: UnsafeMutableRawBufferPointer,
        overlap: Int, deadline: Deadline
    ) throws(BuildFileError) -> (FileFindings, Int, Bool) {
        let stream = try reader.open(file)
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
                if n == 0 || total >= file.size {
                    end = true
                    break
                }
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

/// Directories still to list and files still to scan, shared by the workers. Directories
/// go first, so that discovery stays ahead of scanning; a directory already seen (same
/// device and inode) is not listed twice.
private final class WorkQueue: Sendable {
    enum Item {
        case directory(BuildTree.Directory)
        case file(BuildTree.File)
        /// Nothing to do now, but a listing in progress may add work.
        case wait
        case done
    }

    private struct State {
        var directories: [BuildTree.Directory] = []
        var files: [BuildTree.File] = []
        var listing = 0
        var visited = Set<[UInt64]>()
        var found = 0
    }

    private let state: Mutex<State>

    init(_ roots: [BuildTree.Directory]) {
        var initial = State()
        for root in roots where initial.visited.insert(root.identity).inserted { initial.directories.append(root) }
        state = Mutex(initial)
    }

    func next() -> Item {
        state.withLock { state in
            if let directory = state.directories.popLast() {
                state.listing += 1
                return .directory(directory)
            }
            if let file = state.files.popLast() { return .file(file) }
            return state.listing > 0 ? .wait : .done
        }
    }

    /// Files and subdirectories of a directory handed out by `next`.
    func add(_ listing: BuildTree.Listing) {
        state.withLock { state in
            state.listing -= 1
            for directory in listing.directories where state.visited.insert(directory.identity).inserted {
                state.directories.append(directory)
            }
            state.files += listing.files
            state.found += listing.files.count
        }
    }

    var filesFound: Int { state.withLock { $0.found } }
}

extension FileFindings {
    var isEmpty: Bool { values.isEmpty && secrets.isEmpty && notInlined.isEmpty && shapes.isEmpty }
}
