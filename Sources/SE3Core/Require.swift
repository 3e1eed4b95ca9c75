/// The one contract check of se3: a condition that must hold whatever the build settings.
///
/// Release builds use `-Ounchecked`, which removes `precondition` and `assert`; `require` stays
/// on, so a violated contract (a wrong shape or index passed between se3's own modules, a
/// programming error rather than bad user data, which is validated where it is read and
/// reported as a thrown error) stops the program with the message and the caller's
/// `file:line` instead of reading or writing out of bounds.
///
/// The condition is evaluated once; the message only on failure.
@inlinable @inline(__always)
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition()) { contractViolation(message(), file: file, line: line) }
}

/// Stops the program for a violated contract (see `require`).
@inline(never) @usableFromInline
func contractViolation(_ message: String, file: StaticString, line: UInt) -> Never {
    fatalError(message, file: file, line: line)
}

/// Stops the program for a contract violation detected outside a plain condition
/// (e.g. an impossible `switch` case); same report as a failed `require`.
@inline(never)
public func requirementFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
