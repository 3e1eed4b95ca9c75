import SE3Core
/// Plain (non-differentiable) element-wise helpers on tensors; the
/// differentiable versions live on `Variable`. Inner loops run over buffer pointers.
extension Tensor {
    /// `out[i] = f(self[i])`.
    @inlinable
    public func map(_ f: (T) -> T) -> Tensor {
        let n = count
        let out = [T](unsafeUninitializedCapacity: n) { buf, initialized in
            scalars.withUnsafeBufferPointer { a in
                for i in 0..<n { (buf.baseAddress! + i).initialize(to: f(a[i])) }
            }
            initialized = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// `out[i] = f(self[i], other[i])`; shapes must agree.
    @inlinable
    public func zipMap(_ other: Tensor, _ f: (T, T) -> T) -> Tensor {
        require(shape == other.shape, "element-wise op on shapes \(shape) and \(other.shape)")
        let n = count
        let out = [T](unsafeUninitializedCapacity: n) { buf, initialized in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<n { (buf.baseAddress! + i).initialize(to: f(a[i], b[i])) }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// `self += other` element-wise (shapes must have equal counts).
    @inlinable
    public mutating func addInPlace(_ other: Tensor) {
        require(count == other.count, "addInPlace: counts \(count) and \(other.count)")
        let n = count
        scalars.withUnsafeMutableBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in 0..<n { a[i] += b[i] }
            }
        }
    }

    @inlinable public static func + (a: Tensor, b: Tensor) -> Tensor { a.zipMap(b, +) }
    @inlinable public static func - (a: Tensor, b: Tensor) -> Tensor { a.zipMap(b, -) }
    /// Element-wise (Hadamard) product.
    @inlinable public static func * (a: Tensor, b: Tensor) -> Tensor { a.zipMap(b, *) }
    @inlinable public static func * (a: Tensor, s: T) -> Tensor { a.map { $0 * s } }
    @inlinable public static func * (s: T, a: Tensor) -> Tensor { a.map { s * $0 } }
    @inlinable public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Sum of all elements.
    @inlinable
    public func sum() -> T {
        scalars.withUnsafeBufferPointer { a in
            var s: T = 0
            for x in a { s += x }
            return s
        }
    }
}
