import EnvCheckCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a Next.js build directory the scan reads, found without following
/// symlinked directories (so a symlink loop cannot trap it) and never entering `cache/`.
///
/// - `static/**` and `standalone/.next/static/**`: every file; `*.js` are client chunks.
/// - `server/{app,pages}/**` (and their standalone copies): prerendered `*.html`, `*.rsc`,
///   `*.body`, `*.json`.
struct BuildTree: Sendable {
    enum Role: Sendable { case clientScript, staticAsset, prerendered }

    struct File: Sendable {
        let path: String
        /// Relative to the build directory, for reports.
        let relative: String
        let size: Int
        let role: Role
    }

    static let staticRoots = ["static", "standalone/.next/static"]
    static let prerenderedRoots = ["server/app", "server/pages", "standalone/.next/server/app", "standalone/.next/server/pages"]
    static let prerenderedExtensions = [".html", ".rsc", ".body", ".json"]

    var files: [File] = []
    /// Files that cannot be scanned (dangling links, FIFOs, unreadable directories).
    var problems: [(file: String, reason: String)] = []
    var symlinkedDirectoriesSkipped = 0
    /// The static roots present, relative.
    var staticDirectories: [String] = []
    var timedOut = false

    /// Lists `buildDir`; stops early (with `timedOut`) at `deadline`.
    static func list(_ buildDir: String, deadline: Deadline) -> BuildTree {
        var tree = BuildTree()
        var walker = Walker(buildDir: buildDir, deadline: deadline)
        for root in staticRoots where FileSystem.isDirectory(buildDir + "/" + root) {
            tree.staticDirectories.append(root)
            walker.walk(root, into: &tree) { name in name.hasSuffix(".js") ? .clientScript : .staticAsset }
        }
        for root in prerenderedRoots where FileSystem.isDirectory(buildDir + "/" + root) {
            walker.walk(root, into: &tree) { name in
                prerenderedExtensions.contains { name.hasSuffix($0) } ? .prerendered : nil
            }
        }
        tree.timedOut = walker.timedOut
        return tree
    }
}

private struct Walker {
    let buildDir: String
    let deadline: Deadline
    var visited = Set<[UInt64]>()
    var timedOut = false

    init(buildDir: String, deadline: Deadline) {
        self.buildDir = buildDir
        self.deadline = deadline
    }

    /// Depth-first over `root`; `role` says whether (and how) a file name is scanned.
    mutating func walk(_ root: String, into tree: inout BuildTree, role: (String) -> BuildTree.Role?) {
        var pending = [root]
        while let relative = pending.popLast() {
            if deadline.hasPassed { timedOut = true; return }
            let path = buildDir + "/" + relative
            var st = stat()
            guard stat(path, &st) == 0, visited.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted else { continue }
            guard let dir = opendir(path) else {
                tree.problems.append((relative, FileSystem.errnoText()))
                continue
            }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                classify(relative + "/" + name, name: name, in: dirfd(dir), into: &tree, pending: &pending, role: role)
            }
        }
    }

    /// Stats `name` relative to its directory's descriptor (no path walk per file).
    private func classify(_ relative: String, name: String, in dir: Int32, into tree: inout BuildTree, pending: inout [String],
                          role: (String) -> BuildTree.Role?) {
        let path = buildDir + "/" + relative
        var st = stat()
        guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { tree.problems.append((relative, FileSystem.errnoText())); return }
        var kind = st.st_mode & S_IFMT
        if kind == S_IFLNK {
            // Symlinked files are read; symlinked directories are never entered.
            guard fstatat(dir, name, &st, 0) == 0 else {
                if role(name) != nil { tree.problems.append((relative, "dangling symlink")) }
                return
            }
            kind = st.st_mode & S_IFMT
            if kind == S_IFDIR { tree.symlinkedDirectoriesSkipped += 1; return }
        }
        if kind == S_IFDIR { pending.append(relative); return }
        guard let role = role(name) else { return }
        guard kind == S_IFREG else { tree.problems.append((relative, "not a regular file")); return }
        tree.files.append(BuildTree.File(path: path, relative: relative, size: Int(st.st_size), role: role))
    }
}

/// Opens build files for streaming. The scan reads through this protocol so that tests can
/// inject failures that root (who reads any file whatever its mode) cannot provoke.
protocol BuildFileReader: Sendable {
    func open(_ path: String) throws(BuildFileError) -> any BuildFileStream
}

/// An open file, read front to back.
protocol BuildFileStream: AnyObject {
    /// Fills up to `buffer.count` bytes; 0 at the end of the file. (The scan stops asking
    /// once it has read the size the walk saw, which saves a read per file.)
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(BuildFileError) -> Int
}

struct BuildFileError: Error, Sendable {
    let reason: String
}

/// The real reader: `open(2)`/`read(2)`, one descriptor owned per stream.
struct PosixBuildFileReader: BuildFileReader {
    func open(_ path: String) throws(BuildFileError) -> any BuildFileStream {
        // O_NONBLOCK: a FIFO swapped in after the walk reads as empty instead of blocking.
        let fd = openReadOnly(path)
        guard fd >= 0 else { throw BuildFileError(reason: FileSystem.errnoText()) }
        return PosixStream(fd)
    }

    private final class PosixStream: BuildFileStream {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { close(fd) }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(BuildFileError) -> Int {
            while true {
                let n = readBytes(fd, buffer)
                if n >= 0 { return n }
                if errno != EINTR { throw BuildFileError(reason: FileSystem.errnoText()) }
            }
        }
    }
}

// Free functions, so that the C names are not shadowed by the methods above.
private func openReadOnly(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int { read(fd, buffer.baseAddress, buffer.count) }
