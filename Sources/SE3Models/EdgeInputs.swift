import SE3Layers
import SE3Math
import SE3Tensor

/// Edge geometry shared by all interaction layers of one forward pass (computed once):
///
///     sphericalHarmonics[e, l² + l + m] = Y^l_m(r̂_e),  l = 0...lmaxFilter     (seed eq. 3; component normalisation)
///     radialEmbedding[e, k]             = b_k(|r_e|) · u(|r_e| / cutoff)       (radial basis × polynomial envelope)
///
/// Both are constants on the tape (geometry is data; no gradient w.r.t. positions).
struct EdgeInputs<T: TensorScalar> {
    let sources: [Int32]
    let destinations: [Int32]
    let sphericalHarmonics: Variable<T>
    let radialEmbedding: Variable<T>

    init(graph: AtomGraph, lmaxFilter: Int, basis: any RadialBasis, envelope: PolynomialEnvelope, tape: Tape<T>) {
        let vectors = graph.edgeVectors
        let E = vectors.count, M = (lmaxFilter + 1) * (lmaxFilter + 1)
        var lengths = [Double](repeating: 0, count: E)
        var sh = Tensor<T>(zeros: [E, M])
        withUnsafeTemporaryAllocation(of: Double.self, capacity: M) { y in
            sh.scalars.withUnsafeMutableBufferPointer { ps in
                for e in 0..<E {
                    let v = vectors[e]
                    lengths[e] = (v * v).sum().squareRoot()
                    SphericalHarmonics.evaluate(lmax: lmaxFilter, v, into: y.baseAddress!)
                    let row = ps.baseAddress! + e * M
                    for i in 0..<M { row[i] = T(y[i]) }
                }
            }
        }
        sources = graph.edgeSource
        destinations = graph.edgeDestination
        sphericalHarmonics = tape.constant(sh)
        radialEmbedding = tape.constant(basis.table(lengths: lengths, envelope: envelope, as: T.self).values)
    }
}
