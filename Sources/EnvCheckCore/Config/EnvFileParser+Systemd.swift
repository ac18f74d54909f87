/// Values in the systemd dialect, following systemd 252's `parse_env_file` state machine:
/// quotes may open anywhere a value starts and adjacent parts join (`"a" 'b'` is `ab`);
/// inside double quotes only `\"`, `\\`, `` \` `` and `\$` are decoded and other escapes are
/// kept as backslash + letter; a backslash-newline continues the line; no inline comments.
extension EnvFileParser {
    private enum SystemdState { case pre, value, valueEscape, single, double, doubleEscape }

    mutating func systemdValue(key: String, notes: inout [String]) throws(EnvFileError) -> String {
        var out = String.UnicodeScalarView()
        var state = SystemdState.pre
        var trailingSpaceStart: String.UnicodeScalarView.Index?
        var openLine = line
        var keptEscapes = Set<Unicode.Scalar>()
        scan: while i < s.count {
            let c = s[i]
            i += 1
            if c == "\n" { line += 1 }
            switch state {
            case .pre:
                if c == "\n" { break scan }
                if c == "'" {
                    state = .single
                    openLine = line
                } else if c == "\"" {
                    state = .double
                    openLine = line
                } else if c == "\\" {
                    state = .valueEscape
                } else if c != " " && c != "\t" {
                    state = .value
                    out.append(c)
                }
            case .value:
                if c == "\n" { break scan }
                if c == "\\" {
                    state = .valueEscape
                    trailingSpaceStart = nil
                } else {
                    if c == " " || c == "\t" {
                        if trailingSpaceStart == nil { trailingSpaceStart = out.endIndex }
                    } else {
                        trailingSpaceStart = nil
                    }
                    out.append(c)
                }
            case .valueEscape:
                state = .value
                if c != "\n" { out.append(c) }
            case .single:
                if c == "'" { state = .pre } else { out.append(c) }
            case .double:
                if c == "\"" { state = .pre } else if c == "\\" { state = .doubleEscape } else { out.append(c) }
            case .doubleEscape:
                state = .double
                if c == "\"" || c == "\\" || c == "`" || c == "$" {
                    out.append(c)
                } else if c != "\n" {
                    out.append("\\")
                    out.append(c)
                    keptEscapes.insert(c)
                }
            }
        }
        if state == .single || state == .double || state == .doubleEscape {
            throw fail(openLine, "unterminated \(state == .single ? "single" : "double")-quoted value for '\(key)' (the quote opened here is never closed)")
        }
        if let start = trailingSpaceStart, state == .value { out.removeSubrange(start...) }
        if !keptEscapes.isEmpty {
            let list = keptEscapes.map { "\\\($0)" }.sorted().joined(separator: " ")
            notes.append("systemd keeps \(list) as backslash + letter, not as control characters")
        }
        return String(out)
    }
}
