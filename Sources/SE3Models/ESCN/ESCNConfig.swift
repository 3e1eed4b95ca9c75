import SE3Config
import SE3Tensor

/// `model.name: escn` — eSCN's own keys (the shared ones are in `CommonModelConfig`; eSCN's
/// distance features are the common radial basis, e.g. 250 Gaussians at 0.02 Å for a 5 Å cutoff).
public struct ESCNConfig: ArchitectureConfig, Equatable {
    public static let architecture = Architecture.escn
    public static let summary = "eSCN: SO(2) convolutions in edge frames (Passaro & Zitnick 2023; seed eq. 13-16)"

    /// Node features hold degrees `0...lmax`.
    public var lmax: Int
    /// Orders `|m| ≤ mmax` kept in the edge frames.
    public var mmax: Int
    /// Channels of the node features (fairchem's `sphere_channels`).
    public var sphereChannels: Int
    /// Width inside the SO(2) convolutions (fairchem's `hidden_channels`).
    public var hiddenChannels: Int
    /// Width of the invariant edge embedding.
    public var edgeChannels: Int
    public var layers: Int
    /// Grid resolution of the S² activations (nil: fairchem's, `2(lmax+1)` latitudes;
    /// longitudes `2(mmax+1)+1` if `mmax = lmax`, else `2 mmax + 1`, in the edge frames and
    /// `2(lmax+1)+1` on the nodes).
    public var gridLatitudes: Int?
    public var gridLongitudes: Int?
    /// At least this many points where the sphere heads sample the node features (a
    /// Gauss–Legendre `n × 2n` grid, `2n² ≥ sphere_samples`; 128 → 8 × 16).
    public var sphereSamples: Int
    /// Which heads: `sphere` (fairchem's energy and force blocks on sphere samples) or the
    /// shared heads.
    public var heads: Heads

    /// `model.heads`.
    public enum Heads: String, ConfigChoice {
        /// Scalars: `(1/P) Σ_p MLP(x(p))`; vectors (direct forces): `(1/P) Σ_p MLP(x(p)) p`; over the
        /// `sphere_samples` points `p`; rank-2 outputs use the shared head.
        case sphere
        /// The shared heads (`OutputHeads`) on the node features.
        case shared
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lmax, mmax, sphereChannels = "sphere_channels", hiddenChannels = "hidden_channels"
        case edgeChannels = "edge_channels", layers, gridLatitudes = "grid_latitudes", gridLongitudes = "grid_longitudes"
        case sphereSamples = "sphere_samples", heads
    }

    public static var keys: [String] { CodingKeys.allCases.map(\.stringValue) }

    public init(lmax: Int = 2, mmax: Int = 2, sphereChannels: Int = 32, hiddenChannels: Int = 64, edgeChannels: Int = 32,
                layers: Int = 4, gridLatitudes: Int? = nil, gridLongitudes: Int? = nil, sphereSamples: Int = 128,
                heads: Heads = .sphere) {
        self.lmax = lmax; self.mmax = mmax; self.sphereChannels = sphereChannels; self.hiddenChannels = hiddenChannels
        self.edgeChannels = edgeChannels; self.layers = layers; self.gridLatitudes = gridLatitudes
        self.gridLongitudes = gridLongitudes; self.sphereSamples = sphereSamples; self.heads = heads
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ESCNConfig()
        lmax = try c.decodeIfPresent(Int.self, forKey: .lmax) ?? d.lmax
        mmax = try c.decodeIfPresent(Int.self, forKey: .mmax) ?? min(d.mmax, lmax)
        sphereChannels = try c.decodeIfPresent(Int.self, forKey: .sphereChannels) ?? d.sphereChannels
        hiddenChannels = try c.decodeIfPresent(Int.self, forKey: .hiddenChannels) ?? d.hiddenChannels
        edgeChannels = try c.decodeIfPresent(Int.self, forKey: .edgeChannels) ?? d.edgeChannels
        layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? d.layers
        gridLatitudes = try c.decodeIfPresent(Int.self, forKey: .gridLatitudes)
        gridLongitudes = try c.decodeIfPresent(Int.self, forKey: .gridLongitudes)
        sphereSamples = try c.decodeIfPresent(Int.self, forKey: .sphereSamples) ?? d.sphereSamples
        heads = try c.decodeIfPresent(Heads.self, forKey: .heads) ?? d.heads
    }

    public func validate(common: CommonModelConfig, file: String) throws {
        func fail(_ key: CodingKeys, _ m: String) -> ConfigError { ConfigError(file: file, key: "model.\(key.stringValue)", m) }
        guard (1...8).contains(lmax) else { throw fail(.lmax, "must be in 1...8, got \(lmax)") }
        guard (0...lmax).contains(mmax) else { throw fail(.mmax, "must be in 0...lmax (\(lmax)), got \(mmax)") }
        guard sphereChannels >= 1 else { throw fail(.sphereChannels, "must be >= 1, got \(sphereChannels)") }
        guard hiddenChannels >= 1 else { throw fail(.hiddenChannels, "must be >= 1, got \(hiddenChannels)") }
        guard edgeChannels >= 1 else { throw fail(.edgeChannels, "must be >= 1, got \(edgeChannels)") }
        guard layers >= 1 else { throw fail(.layers, "must be >= 1, got \(layers)") }
        if let n = gridLatitudes, n < lmax + 1 {
            throw fail(.gridLatitudes, "must be >= lmax + 1 (\(lmax + 1)) so the grid holds degree lmax exactly, got \(n)")
        }
        if let n = gridLongitudes, n < 2 * lmax + 1 {
            throw fail(.gridLongitudes, "must be >= 2·lmax + 1 (\(2 * lmax + 1)), got \(n)")
        }
        guard sphereSamples >= 1 else { throw fail(.sphereSamples, "must be >= 1, got \(sphereSamples)") }
    }

    public var featureLmax: Int { lmax }

    /// The frames, the SO(2) convolutions' complex weights and the grids are rotation-equivariant
    /// only (and the grids up to their quadrature error): SE(3).
    public var isInversionEquivariant: Bool { false }

    /// eSCN predicts forces with its sphere head (fairchem's direct forces).
    public var conservativeForcesUnsupported: String? {
        "eSCN predicts forces directly with its sphere head; use `forces: direct`"
    }

    /// The S² activations apply a pointwise SiLU on finite grids, and what the grid does not
    /// resolve aliases, so rotations change the outputs by the quadrature error: at fairchem's
    /// default grids ~1e-6 relative at initialisation, 1–3e-2 for HOMO after training
    /// (`configs/escn-qm9-small.yaml`); 5e-4 with 8 × 15 grids; 1e-6 with 40 × 81 grids and 2,048
    /// head samples (docs/conventions.md). A broken frame or sign gives errors of order one, so
    /// the default tolerance of `se3 check-equivariance` for eSCN is 5e-2.
    public var equivarianceTolerance: Double? { 5e-2 }

    /// Grid resolutions: `(latitudes, longitudes)` of the edge-frame and the node grids.
    public var messageGrid: (Int, Int) {
        (gridLatitudes ?? 2 * (lmax + 1), gridLongitudes ?? (mmax == lmax ? 2 * (mmax + 1) + 1 : 2 * mmax + 1))
    }
    public var nodeGrid: (Int, Int) { (gridLatitudes ?? 2 * (lmax + 1), gridLongitudes ?? 2 * (lmax + 1) + 1) }

    public func makeModel<T: TensorScalar>(common: CommonModelConfig, outputs: [OutputSpec], seed: UInt64,
                                           as: T.Type) throws -> any GraphModel<T> {
        try ESCN<T>(common: common, config: self, outputs: outputs, seed: seed)
    }
}
