import SE3Core
import SE3Layers
import SE3Tensor

/// The residual block shared by every architecture: `y = f(x) + x` on the degrees both hold.
extension SphericalFeatures {
    /// Skip connection over the common degrees (channels must agree):
    ///
    ///     y[n, i, c] = self[n, i, c] + x[n, i, c]   for i < min(M_self, M_x),   self[n, i, c] otherwise,
    ///
    /// `i = l² + l + m`: degrees of `x` above `self.lmax` are dropped, degrees of `self` above
    /// `x.lmax` get no skip (so layer 0, whose input holds scalars only, skips on `l = 0`).
    /// One op, backward `∂self = G`, `∂x = G` restricted to the common degrees (zero elsewhere).
    public func addingSkip(_ x: SphericalFeatures<T>) -> SphericalFeatures<T> {
        require(x.channels == channels && x.count == count, "addingSkip: shapes \(x.variable.shape), \(variable.shape)")
        let N = count, C = channels, mY = components, mX = x.components, common = Swift.min(mY, mX) * C
        var out = variable.value
        let xv = x.variable.value
        out.scalars.withUnsafeMutableBufferPointer { po in
            xv.scalars.withUnsafeBufferPointer { px in
                for n in 0..<N {
                    let o = po.baseAddress! + n * mY * C, s = px.baseAddress! + n * mX * C
                    for j in 0..<common { o[j] += s[j] }
                }
            }
        }
        let needX = x.variable.requiresGrad
        let (lo, hi) = (lmax, x.lmax)
        let rule: Tape<T>.ForwardRule = { v, _, t in
            // linear: the skip of the tangents (a zero tangent stands in for a missing one)
            guard t[1] != nil else { return t[0] }
            let dy = t[0] ?? v[0].tape.constant(Tensor(zeros: v[0].shape))
            return SphericalFeatures(dy, lmax: lo, channels: C).addingSkip(SphericalFeatures(t[1]!, lmax: hi, channels: C)).variable
        }
        let y = tape.custom(value: out, inputs: [variable, x.variable], forward: rule) { g in
            guard needX else { return [g, nil] }
            if mX == mY { return [g, g] }
            var gx = Tensor<T>(zeros: [N, mX, C])
            g.scalars.withUnsafeBufferPointer { pg in
                gx.scalars.withUnsafeMutableBufferPointer { pgx in
                    for n in 0..<N {
                        let d = pgx.baseAddress! + n * mX * C, s = pg.baseAddress! + n * mY * C
                        for j in 0..<common { d[j] = s[j] }
                    }
                }
            }
            return [g, gx]
        }
        return SphericalFeatures(y, lmax: lmax, channels: C)
    }
}
