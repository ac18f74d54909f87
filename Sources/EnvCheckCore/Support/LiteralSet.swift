/// Many byte strings found in one pass over a text, whatever their number: an Aho-Corasick
/// automaton (a trie of the strings with failure links), so the cost is linear in the text
/// and in the strings' total length, never in their product. The redactor masks with it
/// (every secret form of every secret at once); one pass finds, for each position, the
/// longest string ending there.
public struct LiteralSet: Sendable {
    /// The trie, one entry per state, state 0 the root: each state's first child and next
    /// sibling (children in byte order; -1 for none), and the byte that leads to it.
    private let firstChild: [Int32]
    private let nextSibling: [Int32]
    private let byte: [UInt8]
    /// The root's 256 transitions, dense (most text bytes leave or stay at the root).
    private let rootNext: [Int32]
    private let failure: [Int32]
    /// The length of the longest string that ends in this state (its own, or the longest
    /// along its failure chain); 0 for none.
    private let longest: [Int32]

    /// The number of strings (duplicates and empty ones dropped).
    public let count: Int

    public init(_ strings: some Sequence<some StringProtocol>) {
        // Sorted, each string shares its trie path with the one before it up to their
        // common prefix, and each new state is its parent's last child: the trie is built
        // in one pass, with no per-state allocation.
        let sorted = Set(strings.map { Array($0.utf8) }).filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
        count = sorted.count
        let total = sorted.reduce(0) { $0 + $1.count } + 1
        var firstChild = [Int32](repeating: -1, count: 1)
        var nextSibling = [Int32](repeating: -1, count: 1)
        var byte = [UInt8](repeating: 0, count: 1)
        var own = [Int32](repeating: 0, count: 1)
        firstChild.reserveCapacity(total)
        nextSibling.reserveCapacity(total)
        byte.reserveCapacity(total)
        own.reserveCapacity(total)
        var path: [Int32] = [0]  // the previous string's states, by depth
        var previous: [UInt8] = []
        for string in sorted {
            var common = 0
            while common < previous.count, common < string.count, previous[common] == string[common] { common += 1 }
            path.removeSubrange((common + 1)...)
            for depth in common..<string.count {
                let state = Int32(firstChild.count)
                firstChild.append(-1)
                nextSibling.append(-1)
                byte.append(string[depth])
                own.append(0)
                let parent = Int(path[depth])
                if firstChild[parent] < 0 {
                    firstChild[parent] = state
                } else {
                    var last = Int(firstChild[parent])
                    while nextSibling[last] >= 0 { last = Int(nextSibling[last]) }
                    nextSibling[last] = state
                }
                path.append(state)
            }
            own[Int(path[string.count])] = Int32(string.count)
            previous = string
        }
        var rootNext = [Int32](repeating: 0, count: 256)
        var child = firstChild[0]
        while child >= 0 {
            rootNext[Int(byte[Int(child)])] = child
            child = nextSibling[Int(child)]
        }
        // Failure links breadth first: a state's failure is the state of the longest proper
        // suffix of its string that is also in the trie.
        let states = firstChild.count
        var failure = [Int32](repeating: 0, count: states)
        var longest = own
        func step(_ from: Int32, _ b: UInt8) -> Int32? {
            var c = firstChild[Int(from)]
            while c >= 0 {
                let cb = byte[Int(c)]
                if cb == b { return c }
                if cb > b { return nil }
                c = nextSibling[Int(c)]
            }
            return nil
        }
        var queue: [Int32] = []
        queue.reserveCapacity(states)
        child = firstChild[0]
        while child >= 0 {
            queue.append(child)
            child = nextSibling[Int(child)]
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            var c = firstChild[Int(state)]
            while c >= 0 {
                let b = byte[Int(c)]
                var f = failure[Int(state)]
                var link: Int32
                while true {
                    if f == 0 {
                        link = rootNext[Int(b)]
                        break
                    }
                    if let next = step(f, b) {
                        link = next
                        break
                    }
                    f = failure[Int(f)]
                }
                failure[Int(c)] = link
                if longest[Int(c)] == 0 { longest[Int(c)] = longest[Int(link)] }
                queue.append(c)
                c = nextSibling[Int(c)]
            }
        }
        self.firstChild = firstChild
        self.nextSibling = nextSibling
        self.byte = byte
        self.rootNext = rootNext
        self.failure = failure
        self.longest = longest
    }

    public var isEmpty: Bool { count == 0 }

    /// Calls `body(start, end)` for each position where a string ends, with the longest
    /// string ending there (`bytes[start..<end]`), in order of `end`. Shorter strings
    /// ending at the same position lie inside it.
    public func forEachLongestMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        guard count > 0 else { return }
        firstChild.withUnsafeBufferPointer { firstChild in
            nextSibling.withUnsafeBufferPointer { nextSibling in
                self.byte.withUnsafeBufferPointer { edgeByte in
                    rootNext.withUnsafeBufferPointer { root in
                        failure.withUnsafeBufferPointer { failure in
                            longest.withUnsafeBufferPointer { longest in
                                var state: Int32 = 0
                                for (position, byte) in bytes.enumerated() {
                                    while true {
                                        if state == 0 {
                                            state = root[Int(byte)]
                                            break
                                        }
                                        var c = firstChild[Int(state)]
                                        while c >= 0 {
                                            let cb = edgeByte[Int(c)]
                                            if cb >= byte { break }
                                            c = nextSibling[Int(c)]
                                        }
                                        if c >= 0 && edgeByte[Int(c)] == byte {
                                            state = c
                                            break
                                        }
                                        state = failure[Int(state)]
                                    }
                                    let length = Int(longest[Int(state)])
                                    if length > 0 { body(position + 1 - length, position + 1) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The byte ranges of `text`'s UTF-8 covered by some string, overlapping ones merged,
    /// in order.
    public func coveredRanges(in text: some StringProtocol) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var text = String(text)
        text.withUTF8 { bytes in
            forEachLongestMatch(in: bytes) { start, end in
                // A later match may begin before earlier ones: it absorbs each it overlaps.
                var merged = start..<end
                while let last = ranges.last, merged.lowerBound < last.upperBound {
                    merged = min(last.lowerBound, merged.lowerBound)..<max(last.upperBound, merged.upperBound)
                    ranges.removeLast()
                }
                ranges.append(merged)
            }
        }
        return ranges
    }
}
