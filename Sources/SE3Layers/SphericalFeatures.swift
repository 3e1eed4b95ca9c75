import SE3Core
import SE3Math
import SE3Tensor

/// Equivariant node (or edge) features: `C` channels of every degree `l = 0...lmax`.
///
/// **Memory layout** (used by every layer of this module): a `Variable` of shape
/// `[N, M, C]`, `M = (lmax + 1)²`, row-major, with
///
///     value[n, l² + l + m, c]  at flat offset  (n · M + l² + l + m) · C + c,   m = −l...l,
///
/// i.e. the spherical-harmonic index `l² + l + m` of `SphericalHarmonics` and the channels
/// contiguous (innermost). Degree `l` carries natural parity `(−1)^l`, so the irreps are
/// `C x 0e + C x 1o + C x 2e + …` (`Irreps.uniform(channels:lmax:)`), and this is the `Irreps`
/// layout of those irreps (se3's "ir_mul": channels innermost; not e3nn's "mul_ir").
///
/// Under a rotation `R` the features transform as `x[n, l·, c] ↦ D^l(R) x[n, l·, c]`; under the
/// inversion `x ↦ −x` degree `l` picks up `(−1)^l`.
public struct SphericalFeatures<T: TensorScalar> {
    /// The features, shape `[N, (lmax+1)², channels]`.
    public var variable: Variable<T>
    /// Largest degree.
    public let lmax: Int
    /// Channels per degree.
    public let channels: Int

    /// Wraps a variable of shape `[N, (lmax+1)², channels]` (checked; a mismatch is a
    /// programming error and traps with a message).
    public init(_ variable: Variable<T>, lmax: Int, channels: Int) {
        require(lmax >= 0 && channels >= 1, "SphericalFeatures: lmax \(lmax), channels \(channels)")
        require(variable.shape == [variable.shape.first ?? 0, (lmax + 1) * (lmax + 1), channels],
                     "SphericalFeatures: shape \(variable.shape) is not [N, \((lmax + 1) * (lmax + 1)), \(channels)]")
        self.variable = variable
        self.lmax = lmax
        self.channels = channels
    }

    /// Number of rows (nodes or edges), `N`.
    public var count: Int { variable.shape[0] }

    /// `(lmax + 1)²`.
    public var components: Int { (lmax + 1) * (lmax + 1) }

    /// `C x 0e + C x 1o + C x 2e + …` up to `lmax` (natural parity).
    public var irreps: Irreps { Irreps.uniform(channels: channels, lmax: lmax) }

    /// The tape the features live on.
    public var tape: Tape<T> { variable.tape }
}

/// Number of components `(lmax + 1)²` of degrees `0...lmax`.
@inlinable
public func sphericalComponents(lmax: Int) -> Int { (lmax + 1) * (lmax + 1) }
