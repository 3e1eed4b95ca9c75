/// Contract check for shapes passed to layers (programming errors, not user data).
///
/// Release builds use `-Ounchecked`, which removes `precondition`; this check stays on so a
/// wrong shape stops with a message naming the layer instead of reading out of bounds.
@inline(__always) @usableFromInline
func layerCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { layerContractViolation(message(), file: file, line: line) }
}

@inline(never) @usableFromInline
func layerContractViolation(_ message: String, file: StaticString, line: UInt) -> Never {
    fatalError("SE3Layers: " + message, file: file, line: line)
}
