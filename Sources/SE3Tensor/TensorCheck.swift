/// Contract check for shapes and indices passed to tensor ops.
///
/// Release builds use `-Ounchecked`, which removes `precondition`; a wrong
/// shape or an out-of-range row index would then corrupt memory silently.
/// These checks stay on: a violated op contract is a programming error in the
/// caller (data is validated where it is read), and it stops with a message
/// naming the op instead of reading out of bounds.
@inline(__always) @usableFromInline
func tensorCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                 file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { tensorContractViolation(message(), file: file, line: line) }
}

@inline(never) @usableFromInline
func tensorContractViolation(_ message: String, file: StaticString, line: UInt) -> Never {
    fatalError("SE3Tensor: " + message, file: file, line: line)
}

/// Product of the dimensions of a shape (1 for the rank-0 shape `[]`).
@inline(__always) @usableFromInline
func shapeCount(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n *= d }
    return n
}
