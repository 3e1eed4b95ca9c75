/// Method spellings of the free-function ops (`x.silu()` ≡ `silu(x)`).
extension Variable {
    @inlinable public func matmul(_ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        SE3Tensor.matmul(self, b, transposeA: transposeA, transposeB: transposeB)
    }
    @inlinable public func addingRowVector(_ b: Variable) -> Variable { addRowVector(self, b) }
    @inlinable public func multiplyingRowVector(_ b: Variable) -> Variable { mulRowVector(self, b) }
    @inlinable public func multiplyingColumn(_ s: Variable) -> Variable { mulColumn(self, s) }
    @inlinable public func scaled(by s: T) -> Variable { SE3Tensor.scaled(self, by: s) }
    @inlinable public func silu() -> Variable { SE3Tensor.silu(self) }
    @inlinable public func sigmoid() -> Variable { SE3Tensor.sigmoid(self) }
    @inlinable public func softplus() -> Variable { SE3Tensor.softplus(self) }
    @inlinable public func tanh() -> Variable { SE3Tensor.tanh(self) }
    @inlinable public func relu() -> Variable { SE3Tensor.relu(self) }
    @inlinable public func exp() -> Variable { SE3Tensor.exp(self) }
    @inlinable public func log() -> Variable { SE3Tensor.log(self) }
    @inlinable public func sqrt() -> Variable { SE3Tensor.sqrt(self) }
    @inlinable public func square() -> Variable { SE3Tensor.square(self) }
    @inlinable public func abs() -> Variable { SE3Tensor.abs(self) }
    @inlinable public func reciprocal() -> Variable { SE3Tensor.reciprocal(self) }
    @inlinable public func sum() -> Variable { SE3Tensor.sum(self) }
    @inlinable public func mean() -> Variable { SE3Tensor.mean(self) }
    @inlinable public func sum(axis: Int) -> Variable { SE3Tensor.sum(self, axis: axis) }
    @inlinable public func mean(axis: Int) -> Variable { SE3Tensor.mean(self, axis: axis) }
    @inlinable public func reshaped(_ shape: [Int]) -> Variable { reshape(self, shape) }
    @inlinable public func transposed() -> Variable { SE3Tensor.transpose(self) }
    @inlinable public func gatherRows<I: BinaryInteger>(_ indices: [I]) -> Variable {
        SE3Tensor.gatherRows(self, indices: indices)
    }
    @inlinable public func scatterAddRows<I: BinaryInteger>(_ indices: [I], count: Int) -> Variable {
        SE3Tensor.scatterAddRows(self, indices: indices, count: count)
    }
}
