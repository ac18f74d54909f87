extension ProbeOutcome {
    /// A probe stopped by `cause` before it finished: `fail`/`interrupted`, or
    /// `fail`/`cleanup_failed` naming what its write check left behind. `elapsed` is how
    /// long it had run when the signal came; `removals` what the runner removed for it.
    static func interrupted(
        by cause: Interruption.Cause, after elapsed: Duration,
        removals: [Cleanups.Removal] = []
    ) -> ProbeOutcome {
        let stopped: Message = "interrupted by \(label: cause.signalName) after \(max(.zero, elapsed).milliseconds)ms"
        var details = JSONObject()
        details["interrupted_by"] = .string(cause.signalName)
        let removed = removals.filter { $0.problem == nil }.map(\.entry)
        let left = removals.filter { $0.problem != nil }
        if !removed.isEmpty { details["removed"] = .array(removed.map { .string($0.name) }) }
        guard left.isEmpty else {
            details["left_behind"] = .array(left.map { .string($0.entry.name) })
            let what = left.map { "the write-check object \(label: $0.entry.described) is left behind: \($0.problem ?? "")" as Message }
            return ProbeOutcome(
                status: .fail, message: "\(stopped); " + Message.joined(what, separator: "; "), code: .cleanupFailed,
                hint: ProbeCode.cleanupFailedHint(left.map(\.entry.described).joined(separator: " and ")), details: details)
        }
        let cleaned: Message = removed.isEmpty ? "" : "; removed the write-check object \(label: removed.map(\.described).joined(separator: ", "))"
        return ProbeOutcome(
            status: .fail, message: "\(stopped), before the probe finished" + cleaned, code: .interrupted,
            hint: ProbeCode.interruptedHint(cause.signalName),
            details: details)
    }

    /// A probe stopped by `cause` while it waited to retry after `last` (`--wait`).
    static func interrupted(by cause: Interruption.Cause, after elapsed: Duration, waitingAfter last: ProbeOutcome) -> ProbeOutcome {
        var details = last.details
        details["interrupted_by"] = .string(cause.signalName)
        return ProbeOutcome(
            status: .fail,
            message: "interrupted by \(label: cause.signalName) after \(max(.zero, elapsed).milliseconds)ms "
                + "while waiting to retry; the last attempt failed: \(last.message)",
            code: .interrupted, hint: last.hint, details: details)
    }
}
