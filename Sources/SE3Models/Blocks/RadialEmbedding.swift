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

    /// The mean squared norm of an embedding row over distances uniform on `[0, cutoff]`,
    /// `⟨Σ_k emb_k(r)²⟩` (midpoint rule, 2,000 points): a dense layer on the embedding scaled by
    /// `1/√⟨…⟩` instead of `1/√count` has unit-variance outputs however sparse the basis is (250
    /// Gaussians 0.02 Å wide: `⟨…⟩ ≈ 1.3`, against `count = 250`).
    public var meanSquaredNorm: Double {
        let n = 2000, cutoff = basis.cutoff
        let r = (0..<n).map { (Double($0) + 0.5) * cutoff / Double(n) }
        let t = basis.table(lengths: r, envelope: envelope, as: Double.self).values.scalars
        return t.reduce(0) { $0 + $1 * $1 } / Double(n)
    }
}
