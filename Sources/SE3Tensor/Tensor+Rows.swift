import SE3Core
/// Row gathers / segment sums on plain tensors, for hand-written backward
/// closures in other modules (same conventions as the `Variable` ops; indices checked).
extension Tensor {
    /// `y[r] = self[indices[r]]`: `[n, …] → [k, …]`.
    @inlinable
    public func gatheringRows<I: BinaryInteger>(_ indices: [I]) -> Tensor {
        require(rank >= 1, "gatheringRows needs rank ≥ 1, got \(shape)")
        checkIndices(indices, bound: shape[0], op: "gatheringRows")
        return gatherRowsKernel(self, indices, inner: rowLength)
    }

    /// `y[indices[r]] += self[r]`: `[k, …] → [count, …]`.
    @inlinable
    public func scatteringAddRows<I: BinaryInteger>(_ indices: [I], count: Int) -> Tensor {
        require(rank >= 1 && shape[0] == indices.count && count >= 0,
                    "scatteringAddRows: \(indices.count) indices, count \(count), shape \(shape)")
        checkIndices(indices, bound: count, op: "scatteringAddRows")
        return scatterAddRowsKernel(self, indices, count: count, inner: rowLength)
    }
}
