/// Substring search on UTF-8 bytes, for the hot paths every run takes (redaction, config
/// warnings, URL credentials). `String.contains(String)`, `firstRange(of:)` and
/// `replacing(_:with:)` come from _StringProcessing and compare Characters one by one:
/// measured with scripts/bench.sh, they were about 5% of a healthcheck's CPU time.
///
/// A byte match of valid UTF-8 always starts and ends on scalar boundaries, so results
/// stay valid UTF-8. It finds every match Character comparison finds, except spellings
/// that are only canonically equivalent (non-ASCII); callers that must not miss those
/// (the redactor) also run the Character-level search when the text is not ASCII.
extension StringProtocol {
    /// Whether `needle`'s bytes occur in this text's UTF-8.
    public func utf8Contains(_ needle: some StringProtocol) -> Bool {
        utf8FirstRange(of: needle) != nil
    }

    /// The first occurrence of `needle`'s bytes, as a range of this text's indices.
    public func utf8FirstRange(of needle: some StringProtocol) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return startIndex..<startIndex }
        let bytes = utf8
        var i = bytes.startIndex
        while let candidate = bytes[i...].firstIndex(of: first) {
            var hay = candidate
            var matched = true
            for byte in pattern {
                guard hay != bytes.endIndex, bytes[hay] == byte else {
                    matched = false
                    break
                }
                hay = bytes.index(after: hay)
            }
            if matched { return candidate..<hay }
            i = bytes.index(after: candidate)
        }
        return nil
    }

    /// Whether every byte is ASCII (then byte search is all the search there is).
    public var isASCIIText: Bool { utf8.allSatisfy { $0 < 0x80 } }
}

extension String {
    /// Every non-overlapping occurrence of `needle`'s bytes replaced by `replacement`.
    public func utf8Replacing(_ needle: some StringProtocol, with replacement: String) -> String {
        guard !needle.isEmpty, var range = utf8FirstRange(of: needle) else { return self }
        var out = ""
        var rest = self[...]
        while true {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
            guard let next = rest.utf8FirstRange(of: needle) else { break }
            range = next
        }
        out += rest
        return out
    }
}
