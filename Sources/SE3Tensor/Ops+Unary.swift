import Numerics

/// A scalar function with its derivative, used to build element-wise ops whose
/// forward and backward loops specialise (no closure call per element).
@usableFromInline
protocol UnaryKernel {
    static func forward<T: TensorScalar>(_ x: T) -> T
    /// dy/dx given the input x and the output y = forward(x).
    static func derivative<T: TensorScalar>(x: T, y: T) -> T
    /// The forward-mode rule `ẏ = f'(x) ẋ`, recorded with differentiable ops (`x` the input,
    /// `y` the output of the op on the tape).
    static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T>
}

/// `f(x)` of every element of `x.value` as a constant on `x`'s tape (for piecewise-constant
/// derivatives such as the sign or step of `abs` and `relu`).
@inlinable
func elementwiseConstant<T>(_ x: Variable<T>, _ f: (T) -> T) -> Variable<T> {
    x.tape.constant(x.value.map(f))
}

@inlinable
func applyUnary<K: UnaryKernel, T>(_ a: Variable<T>, _: K.Type) -> Variable<T> {
    let x = a.value
    let y = x.map { K.forward($0) }
    return a.tape.custom(value: y, inputs: [a], forward: { x, y, t in t[0].map { K.tangent(x: x[0], y: y, dx: $0) } }) { g in
        [Tensor(shape: g.shape, scalars: zip3Map(g, x, y) { gi, xi, yi in gi * K.derivative(x: xi, y: yi) })]
    }
}

/// Numerically stable logistic function 1 / (1 + e^{-x}) (one exp of −|x|, no overflow).
@inlinable
func logistic<T: TensorScalar>(_ x: T) -> T {
    let e = T.exp(-Swift.abs(x))
    let r = 1 / (1 + e)
    return x >= 0 ? r : e * r
}

@usableFromInline enum SigmoidKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { logistic(x) }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { y * (1 - y) }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, subtract(y, multiply(y, y)))
    }
}
@usableFromInline enum SoftplusKernel: UnaryKernel {
    /// log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}).
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T {
        Swift.max(x, 0) + T.log(onePlus: T.exp(-Swift.abs(x)))
    }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { logistic(x) }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, sigmoid(x))
    }
}
@usableFromInline enum TanhKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { T.tanh(x) }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { 1 - y * y }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, addScalar(negate(multiply(y, y)), 1))
    }
}
@usableFromInline enum ReLUKernel: UnaryKernel {
    /// (x + |x|)/2 is exactly max(x, 0) and compiles without a data-dependent branch.
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { (x + Swift.abs(x)) * (0.5 as T) }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { x > 0 ? 1 : 0 }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, elementwiseConstant(x) { $0 > 0 ? 1 : 0 })
    }
}
@usableFromInline enum ExpKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { T.exp(x) }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { y }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, y)
    }
}
@usableFromInline enum LogKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { T.log(x) }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { 1 / x }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        divide(dx, x)
    }
}
@usableFromInline enum SqrtKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { x.squareRoot() }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { 1 / (2 * y) }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        divide(dx, scaled(y, by: 2))
    }
}
@usableFromInline enum SquareKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { x * x }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { 2 * x }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, scaled(x, by: 2))
    }
}
@usableFromInline enum AbsKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { Swift.abs(x) }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        multiply(dx, elementwiseConstant(x) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
    }
}
@usableFromInline enum ReciprocalKernel: UnaryKernel {
    @inlinable static func forward<T: TensorScalar>(_ x: T) -> T { 1 / x }
    @inlinable static func derivative<T: TensorScalar>(x: T, y: T) -> T { -y * y }
    @inlinable static func tangent<T: TensorScalar>(x: Variable<T>, y: Variable<T>, dx: Variable<T>) -> Variable<T> {
        negate(multiply(dx, multiply(y, y)))
    }
}

/// Logistic sigmoid σ(x) = 1/(1+e^{-x}); σ' = σ(1−σ).
@inlinable public func sigmoid<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, SigmoidKernel.self) }
/// SiLU / swish `k·x·σ(x)` (`scale` k, default 1); derivative `k·σ(x)(1 + x(1−σ(x)))`. Keeps only
/// `x` (the backward pass recomputes σ); `VectorMath` evaluates both.
@inlinable public func silu<T>(_ a: Variable<T>, scale: T = 1) -> Variable<T> {
    let x = a.value, n = x.count
    var y = Tensor<T>(zeros: x.shape)
    x.scalars.withUnsafeBufferPointer { px in
        y.scalars.withUnsafeMutableBufferPointer { VectorMath.silu(px.baseAddress!, count: n, scale: scale, into: $0.baseAddress!) }
    }
    return a.tape.custom(value: y, inputs: [a], forward: { x, _, t in t[0].map { multiply($0, siluDerivative(x[0], scale: scale)) } }) { g in
        var gx = g
        x.scalars.withUnsafeBufferPointer { px in
            gx.scalars.withUnsafeMutableBufferPointer {
                VectorMath.siluGradient(px.baseAddress!, count: n, scale: scale, multiplying: $0.baseAddress!)
            }
        }
        return [gx]
    }
}
/// The SiLU's derivative `k·σ(x)(1 + x(1−σ(x)))` as a differentiable op (the forward rule of
/// `silu`, and of `RadialMLP` in forward mode); its derivative is `k·σ(1−σ)(2 + x(1−2σ))`.
@inlinable public func siluDerivative<T>(_ a: Variable<T>, scale: T = 1) -> Variable<T> {
    let x = a.value
    let y = x.map { v -> T in let s = logistic(v); return scale * s * (1 + v * (1 - s)) }
    return a.tape.custom(value: y, inputs: [a]) { g in
        [Tensor(shape: g.shape, scalars: zip3Map(g, x, x) { gi, xi, _ in
            let s = logistic(xi)
            return gi * scale * s * (1 - s) * (2 + xi * (1 - 2 * s))
        })]
    }
}
/// softplus log(1+e^x) (stable form); derivative σ(x).
@inlinable public func softplus<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, SoftplusKernel.self) }
/// tanh; derivative 1 − tanh².
@inlinable public func tanh<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, TanhKernel.self) }
/// max(x, 0); derivative 1 for x > 0 else 0.
@inlinable public func relu<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, ReLUKernel.self) }
/// e^x.
@inlinable public func exp<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, ExpKernel.self) }
/// Natural log; derivative 1/x.
@inlinable public func log<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, LogKernel.self) }
/// √x; derivative 1/(2√x) (infinite at 0: add an epsilon first where x can vanish).
@inlinable public func sqrt<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, SqrtKernel.self) }
/// x².
@inlinable public func square<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, SquareKernel.self) }
/// |x|; derivative sign(x), 0 at 0.
@inlinable public func abs<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, AbsKernel.self) }
/// 1/x; derivative −1/x².
@inlinable public func reciprocal<T>(_ a: Variable<T>) -> Variable<T> { applyUnary(a, ReciprocalKernel.self) }
