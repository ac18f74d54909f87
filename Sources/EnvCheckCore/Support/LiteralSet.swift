/// Many byte strings found in one pass over a text, whatever their number: an Aho-Corasick
/// automaton (a trie of the strings with failure links), so the cost is linear in the text
/// and in the strings' total length, never in their product. The redactor masks with it
/// (every secret form of every secret at once); one pass finds, for each position, the
/// longest string ending there.
public struct LiteralSet: Sendable {
    /// One state of the trie; state 0 is the root.
    private struct Node {
        /// The first child and the next sibling (children in byte order; -1 for none).
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
        /// The state of the longest proper suffix of this state's string that is also in the trie.
        var failure: Int32 = 0
        /// The length of the longest string that ends in this state (its own, or the longest
        /// along its failure chain); 0 for none.
        var longest: Int32 = 0
        /// The byte that leads to this state.
        var byte: UInt8 = 0
    }

    private let nodes: [Node]
    /// The root's 256 transitions, dense (most text bytes leave or stay at the root).
    private let rootNext: [Int32]

    /// The number of strings (duplicates and empty ones dropped).
    public let count: Int

    public init(_ strings: some Sequence<some StringProtocol>) {
        // Sorted, each string shares its trie path with the one before it up to their
        // common prefix, and each new state is its parent's last child: the trie is built
        // in one pass, with no per-state allocation.
        let sorted = Set(strings.map { Array($0.utf8) }).filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
        count = sorted.count
        var nodes = [Node()]
        nodes.reserveCapacity(sorted.reduce(1) { $0 + $1.count })
        var path: [Int32] = [0]  // the previous string's states, by depth
        var previous: [UInt8] = []
        for string in sorted {
            var common = 0
            while common < previous.count, common < string.count, previous[common] == string[common] { common += 1 }
            path.removeSubrange((common + 1)...)
            for depth in common..<string.count {
                let state = Int32(nodes.count)
                nodes.append(Node(byte: string[depth]))
                let parent = Int(path[depth])
                if nodes[parent].firstChild < 0 {
                    nodes[parent].firstChild = state
                } else {
                    var last = Int(nodes[parent].firstChild)
                    while nodes[last].nextSibling >= 0 { last = Int(nodes[last].nextSibling) }
                    nodes[last].nextSibling = state
                }
                path.append(state)
            }
            nodes[Int(path[string.count])].longest = Int32(string.count)
            previous = string
        }
        var rootNext = [Int32](repeating: 0, count: 256)
        var child = nodes[0].firstChild
        while child >= 0 {
            rootNext[Int(nodes[Int(child)].byte)] = child
            child = nodes[Int(child)].nextSibling
        }
        // Failure links breadth first, so that every state shallower than the one being
        // linked has its own: a child's failure is where its parent's failure goes on its byte.
        rootNext.withUnsafeBufferPointer { root in
            nodes.withUnsafeMutableBufferPointer { nodes in
                var queue: [Int32] = []
                queue.reserveCapacity(nodes.count)
                var child = nodes[0].firstChild
                while child >= 0 {
                    queue.append(child)  // the root's children fail to the root
                    child = nodes[Int(child)].nextSibling
                }
                var head = 0
                while head < queue.count {
                    let state = Int(queue[head])
                    head += 1
                    var c = nodes[state].firstChild
                    while c >= 0 {
                        let link = Self.transition(nodes[state].failure, nodes[Int(c)].byte, UnsafeBufferPointer(nodes), root)
                        nodes[Int(c)].failure = link
                        if nodes[Int(c)].longest == 0 { nodes[Int(c)].longest = nodes[Int(link)].longest }
                        queue.append(c)
                        c = nodes[Int(c)].nextSibling
                    }
                }
            }
        }
        self.nodes = nodes
        self.rootNext = rootNext
    }

    /// The state the automaton goes to from `state` on `byte`: the child for it, else the
    /// failure chain's first state that has one, else the root's transition.
    @inline(__always)
    private static func transition(_ state: Int32, _ byte: UInt8, _ nodes: UnsafeBufferPointer<Node>, _ root: UnsafeBufferPointer<Int32>) -> Int32 {
        var state = state
        while state != 0 {
            var c = nodes[Int(state)].firstChild
            while c >= 0, nodes[Int(c)].byte < byte { c = nodes[Int(c)].nextSibling }
            if c >= 0, nodes[Int(c)].byte == byte { return c }
            state = nodes[Int(state)].failure
        }
        return root[Int(byte)]
    }

    /// Calls `body(start, end)` for each position where a string ends, with the longest
    /// string ending there (`bytes[start..<end]`), in order of `end`. Shorter strings
    /// ending at the same position lie inside it.
    public func forEachLongestMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        guard count > 0 else { return }
        nodes.withUnsafeBufferPointer { nodes in
            rootNext.withUnsafeBufferPointer { root in
                var state: Int32 = 0
                for (position, byte) in bytes.enumerated() {
                    state = Self.transition(state, byte, nodes, root)
                    let length = Int(nodes[Int(state)].longest)
                    if length > 0 { body(position + 1 - length, position + 1) }
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
