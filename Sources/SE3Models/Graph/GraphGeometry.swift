import SE3Tensor

/// The positions `[A, 3]` and cells `[G, 3, 3]` of an `AtomGraph` on a tape: what models compute
/// edge vectors from (`EdgeInputs`). Constants by default; `differentiable: true` makes them
/// variables, so after `tape.backward(E)`
///
///     forces          F_a = −tape.gradient(positions)[a]       (eV/Å for an energy in eV)
///     cell gradient   ∂E/∂a_k(g) = tape.gradient(cells)[g, k]   (lattice vectors moved, Cartesian positions
///                                                             fixed: the periodic images' part of the virial)
///
/// A forward pass on constant geometry records no geometry backward (it costs nothing extra).
public struct GraphGeometry<T: TensorScalar> {
    public let positions: Variable<T>
    public let cells: Variable<T>

    public init(_ graph: AtomGraph, tape: Tape<T>, differentiable: Bool = false) {
        var p = [T](repeating: 0, count: 3 * graph.atomCount)
        for (i, x) in graph.positions.enumerated() { p[3 * i] = T(x.x); p[3 * i + 1] = T(x.y); p[3 * i + 2] = T(x.z) }
        var c = [T](repeating: 0, count: 9 * graph.graphCount)
        for (i, a) in graph.cells.prefix(3 * graph.graphCount).enumerated() {
            c[3 * i] = T(a.x); c[3 * i + 1] = T(a.y); c[3 * i + 2] = T(a.z)
        }
        let pt = Tensor(shape: [graph.atomCount, 3], scalars: p)
        let ct = Tensor(shape: [graph.graphCount, 3, 3], scalars: c)
        positions = differentiable ? tape.variable(pt) : tape.constant(pt)
        cells = differentiable ? tape.variable(ct) : tape.constant(ct)
    }
}
