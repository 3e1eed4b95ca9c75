/// Product of the dimensions of a shape (1 for the rank-0 shape `[]`).
@inline(__always) @usableFromInline
func shapeCount(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n *= d }
    return n
}
