import SE3Layers

/// The radial basis and cutoff envelope of `CommonModelConfig` (seed eq. 5's input):
/// `emb_k(r) = b_k(r) · u(r / cutoff)`, `k = 0..<count`, with `b` the `radial_basis`
/// (`BesselBasis` or `GaussianBasis` on `[0, cutoff]`) and `u` the `PolynomialEnvelope` of
/// exponent `envelope_exponent` (zero with two vanishing derivatives at the cutoff).
public struct RadialEmbedding: Sendable {
    public let basis: any RadialBasis
    public let envelope: PolynomialEnvelope

    /// Throws `LayerError` for sizes the basis or envelope reject (configs are validated first).
    public init(_ common: CommonModelConfig) throws {
        switch common.radialBasis {
        case .bessel: basis = try BesselBasis(count: common.radialCount, cutoff: common.cutoff)
        case .gaussian: basis = try GaussianBasis(count: common.radialCount, cutoff: common.cutoff)
        }
        envelope = try PolynomialEnvelope(p: common.envelopeExponent)
    }

    /// Number of functions (the radial MLP's input width).
    public var count: Int { basis.count }
}
