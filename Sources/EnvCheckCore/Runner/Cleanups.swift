import Synchronization

/// What the write checks of one attempt have created and not yet removed, so that an
/// interrupted run can remove it: a probe that is stopped never reaches its own cleanup.
///
/// A write check registers an object *before* the request that creates it (that request
/// may land even when its answer never comes back) and calls ``done(_:)`` once it has
/// removed it itself. When the run is interrupted, the runner removes whatever is still
/// registered, by the cleanup deadline (what remains of ``Interruption/budget``); what
/// cannot be removed makes the result `cleanup_failed`, naming it.
public final class Cleanups: Sendable {
    /// A registration, to end with ``done(_:)``.
    public struct Token: Sendable, Hashable {
        fileprivate let id: Int
    }

    /// One object still to remove.
    struct Entry: Sendable {
        /// The key, table or object name (never a secret): messages and details show it.
        let name: String
        /// Where it is, for messages and hints (`in bucket uploads`).
        let location: String
        /// Removes the object by the deadline; nil when it is gone, else why it is not.
        let remove: @Sendable (Deadline) async -> Message?

        var described: String { location.isEmpty ? name : "\(name) \(location)" }
    }

    private struct State {
        var nextToken = 0
        var entries: [Int: Entry] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers an object about to be created: `name` is its key or table name (never a
    /// secret), `location` where it is (`in bucket uploads`), and `remove` deletes it by
    /// the deadline it is given, returning nil when the object is gone and otherwise why it
    /// is not. Returns nil when the run is already interrupted: create nothing then.
    public func register(
        _ name: String, location: String = "",
        remove: @escaping @Sendable (_ deadline: Deadline) async -> Message?
    ) -> Token? {
        state.withLock { s -> Token? in
            guard !s.closed else { return nil }
            let token = Token(id: s.nextToken)
            s.nextToken += 1
            s.entries[token.id] = Entry(name: name, location: location, remove: remove)
            return token
        }
    }

    /// The object of `token` is removed (or was never created): nothing left to do for it.
    public func done(_ token: Token) {
        _ = state.withLock { $0.entries.removeValue(forKey: token.id) }
    }

    /// The names still registered, in registration order.
    public var pending: [String] {
        state.withLock { s in s.entries.sorted { $0.key < $1.key }.map(\.value.name) }
    }

    /// Takes every entry still registered and refuses new registrations.
    func close() -> [Entry] {
        state.withLock { s in
            s.closed = true
            defer { s.entries = [:] }
            return s.entries.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// What removing one object after an interruption gave.
    struct Removal: Sendable {
        let entry: Entry
        /// Nil: removed.
        let problem: Message?
    }

    /// Closes the registrations and removes, concurrently, every object still registered,
    /// each by `deadline` whether or not its removal honours it.
    func removeRemaining(by deadline: Deadline) async -> [Removal] {
        let entries = close()
        guard !entries.isEmpty else { return [] }
        return await withTaskGroup(of: (Int, Removal).self) { group in
            for (index, entry) in entries.enumerated() {
                group.addTask {
                    let end = await race(deadline: deadline) { await entry.remove(deadline) }
                    switch end {
                    case .finished(let problem): return (index, Removal(entry: entry, problem: problem))
                    case .deadline, .interrupted:
                        return (
                            index,
                            Removal(
                                entry: entry,
                                problem: "not removed within the \(Interruption.budget.shortDescription) "
                                    + "envcheck has between a signal and its exit")
                        )
                    }
                }
            }
            var removals = [Removal?](repeating: nil, count: entries.count)
            for await (index, removal) in group { removals[index] = removal }
            return removals.compactMap { $0 }
        }
    }
}
