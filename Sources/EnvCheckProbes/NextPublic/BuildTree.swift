import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of a Next.js build directory the scan reads, listed one directory at a time
/// (so that workers scan while others still list), never following a symlinked directory
/// (a symlink loop cannot trap the walk; a directory reached twice by a bind mount is
/// skipped by device and inode) and never entering `cache/`.
///
/// - `static/**` and `standalone/.next/static/**`: every file; `*.js` are client chunks.
/// - `server/{app,pages}/**` (and their standalone copies): prerendered `*.html`, `*.rsc`,
///   `*.body`, `*.json`.
enum BuildTree {
    enum Role: Sendable { case clientScript, staticAsset, prerendered }

    /// Which part of the build a directory belongs to, which decides the files it yields.
    enum Area: Sendable {
        case staticFiles, prerendered

        func role(of name: String) -> Role? {
            switch self {
            case .staticFiles: name.hasSuffix(".js") ? .clientScript : .staticAsset
            case .prerendered: BuildTree.prerenderedExtensions.contains { name.hasSuffix($0) } ? .prerendered : nil
            }
        }
    }

    struct File: Sendable {
        let path: String
        /// Relative to the build directory, for reports.
        let relative: String
        let size: Int
        let role: Role
        /// Its directory, when kept open (``DirectoryHandle``), and its name there.
        var directory: DirectoryHandle? = nil
        var name = ""
    }

    struct Directory: Sendable {
        let relative: String
        let area: Area
        /// Device and inode.
        let identity: [UInt64]
    }

    /// A file that cannot be scanned (dangling link, FIFO, unreadable directory or file).
    struct Problem: Sendable, Equatable {
        let file: String
        let reason: String
    }

    /// What listing one directory found.
    struct Listing: Sendable {
        var files: [File] = []
        var directories: [Directory] = []
        var problems: [Problem] = []
        var symlinkedDirectoriesSkipped = 0
    }

    static let staticRoots = ["static", "standalone/.next/static"]
    static let prerenderedRoots = ["server/app", "server/pages", "standalone/.next/server/app", "standalone/.next/server/pages"]
    static let prerenderedExtensions = [".html", ".rsc", ".body", ".json"]

    /// The root directories present under `buildDir`.
    static func roots(of buildDir: String) -> [Directory] {
        let areas = staticRoots.map { ($0, Area.staticFiles) } + prerenderedRoots.map { ($0, Area.prerendered) }
        return areas.compactMap { relative, area in
            var st = stat()
            guard stat(buildDir + "/" + relative, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return nil }
            return Directory(relative: relative, area: area, identity: [UInt64(st.st_dev), UInt64(st.st_ino)])
        }
    }

    /// The entries of one directory, each stat'ed relative to the directory's descriptor
    /// (no path walk per file).
    static func list(_ directory: Directory, in buildDir: String) -> Listing {
        var listing = Listing()
        guard let dir = opendir(buildDir + "/" + directory.relative) else {
            listing.problems.append(Problem(file: directory.relative, reason: FileSystem.errnoText()))
            return listing
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            classify(name, of: directory, fd: dirfd(dir), buildDir: buildDir, into: &listing)
        }
        if !listing.files.isEmpty, let handle = DirectoryHandle.duplicate(dirfd(dir)) {
            for i in listing.files.indices { listing.files[i].directory = handle }
        }
        return listing
    }

    private static func classify(_ name: String, of directory: Directory, fd: Int32, buildDir: String, into listing: inout Listing) {
        let relative = directory.relative + "/" + name
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            listing.problems.append(Problem(file: relative, reason: FileSystem.errnoText()))
            return
        }
        var kind = st.st_mode & S_IFMT
        if kind == S_IFLNK {
            // Symlinked files are read; symlinked directories are never entered.
            guard fstatat(fd, name, &st, 0) == 0 else {
                if directory.area.role(of: name) != nil { listing.problems.append(Problem(file: relative, reason: "dangling symlink")) }
                return
            }
            kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                listing.symlinkedDirectoriesSkipped += 1
                return
            }
        }
        if kind == S_IFDIR {
            listing.directories.append(Directory(relative: relative, area: directory.area, identity: [UInt64(st.st_dev), UInt64(st.st_ino)]))
            return
        }
        guard let role = directory.area.role(of: name) else { return }
        guard kind == S_IFREG else {
            listing.problems.append(Problem(file: relative, reason: "not a regular file"))
            return
        }
        listing.files.append(File(path: buildDir + "/" + relative, relative: relative, size: Int(st.st_size), role: role, name: name))
    }
}

/// Opens build files for streaming. The scan reads through this protocol so that tests can
/// inject failures that root (who reads any file whatever its mode) cannot provoke.
protocol BuildFileReader: Sendable {
    func open(_ file: BuildTree.File) throws(BuildFileError) -> any BuildFileStream
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

/// The real reader: `openat(2)` in its kept-open directory, else `open(2)` by path; then
/// `read(2)`, one descriptor owned per stream.
struct PosixBuildFileReader: BuildFileReader {
    func open(_ file: BuildTree.File) throws(BuildFileError) -> any BuildFileStream {
        // O_NONBLOCK: a FIFO swapped in after the walk reads as empty instead of blocking.
        let fd = file.directory.map { openReadOnly(file.name, in: $0.fd) } ?? openReadOnly(file.path)
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
private func openReadOnly(_ name: String, in directory: Int32) -> Int32 { openat(directory, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int { read(fd, buffer.baseAddress, buffer.count) }
