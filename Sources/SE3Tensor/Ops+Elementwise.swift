/// Element-wise binary ops on equal shapes, scalar ops, and their operators.
///
/// Backward rules (g = ∂L/∂y):  a+b → (g, g);  a−b → (g, −g);  a⊙b → (g⊙b, g⊙a);
/// a/b → (g/b, −g⊙y/b);  s·a → s·g;  a+s → g.

@inlinable
public func add<T>(_ a: Variable<T>, _ b: Variable<T>) -> Variable<T> {
    a.tape.custom(value: a.value + b.value, inputs: [a, b], forward: { _, _, t in sumOfTangents(t) }) { g in [g, g] }
}

@inlinable
public func subtract<T>(_ a: Variable<T>, _ b: Variable<T>) -> Variable<T> {
    let needB = b.requiresGrad
    return a.tape.custom(value: a.value - b.value, inputs: [a, b], forward: { _, _, t in
        sumOfTangents([t[0], t[1].map { negate($0) }])
    }) { g in [g, needB ? -g : nil] }
}

@inlinable
public func multiply<T>(_ a: Variable<T>, _ b: Variable<T>) -> Variable<T> {
    let av = a.value, bv = b.value
    let needA = a.requiresGrad, needB = b.requiresGrad
    return a.tape.custom(value: av * bv, inputs: [a, b], forward: { x, _, t in
        sumOfTangents([t[0].map { multiply($0, x[1]) }, t[1].map { multiply(x[0], $0) }])
    }) { g in
        [needA ? g * bv : nil, needB ? g * av : nil]
    }
}

@inlinable
public func divide<T>(_ a: Variable<T>, _ b: Variable<T>) -> Variable<T> {
    let bv = b.value
    let y = a.value.zipMap(bv, /)
    let needA = a.requiresGrad, needB = b.requiresGrad
    return a.tape.custom(value: y, inputs: [a, b], forward: { x, y, t in
        // ẏ = (ȧ − y ḃ) / b
        sumOfTangents([t[0], t[1].map { negate(multiply(y, $0)) }]).map { divide($0, x[1]) }
    }) { g in
        [needA ? g.zipMap(bv, /) : nil,
         needB ? Tensor(shape: g.shape, scalars: zip3Map(g, y, bv) { gi, yi, bi in -gi * yi / bi }) : nil]
    }
}

@inlinable
func zip3Map<T>(_ a: Tensor<T>, _ b: Tensor<T>, _ c: Tensor<T>, _ f: (T, T, T) -> T) -> [T] {
    let n = a.count
    return [T](unsafeUninitializedCapacity: n) { buf, initialized in
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeBufferPointer { pc in
                    for i in 0..<n { (buf.baseAddress! + i).initialize(to: f(pa[i], pb[i], pc[i])) }
                }
            }
        }
        initialized = n
    }
}

/// `-a`.
@inlinable
public func negate<T>(_ a: Variable<T>) -> Variable<T> {
    a.tape.custom(value: -a.value, inputs: [a], forward: { _, _, t in t[0].map { negate($0) } }) { g in [-g] }
}

/// `s · a`.
@inlinable
public func scaled<T>(_ a: Variable<T>, by s: T) -> Variable<T> {
    a.tape.custom(value: a.value * s, inputs: [a], forward: { _, _, t in t[0].map { scaled($0, by: s) } }) { g in [g * s] }
}

/// `a + s` element-wise.
@inlinable
public func addScalar<T>(_ a: Variable<T>, _ s: T) -> Variable<T> {
    a.tape.custom(value: a.value.map { $0 + s }, inputs: [a], forward: { _, _, t in t[0] }) { g in [g] }
}

extension Variable {
    @inlinable public static func + (a: Variable, b: Variable) -> Variable { add(a, b) }
    @inlinable public static func - (a: Variable, b: Variable) -> Variable { subtract(a, b) }
    /// Element-wise (Hadamard) product.
    @inlinable public static func * (a: Variable, b: Variable) -> Variable { multiply(a, b) }
    @inlinable public static func / (a: Variable, b: Variable) -> Variable { divide(a, b) }
    @inlinable public static func * (a: Variable, s: T) -> Variable { SE3Tensor.scaled(a, by: s) }
    @inlinable public static func * (s: T, a: Variable) -> Variable { SE3Tensor.scaled(a, by: s) }
    @inlinable public static func / (a: Variable, s: T) -> Variable { SE3Tensor.scaled(a, by: 1 / s) }
    @inlinable public static func + (a: Variable, s: T) -> Variable { addScalar(a, s) }
    @inlinable public static func + (s: T, a: Variable) -> Variable { addScalar(a, s) }
    @inlinable public static func - (a: Variable, s: T) -> Variable { addScalar(a, -s) }
    @inlinable public static prefix func - (a: Variable) -> Variable { negate(a) }
}
