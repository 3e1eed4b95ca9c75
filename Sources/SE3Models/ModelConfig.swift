/// The `model:` section of a config.
public struct ModelConfig: Codable, Equatable {
    /// Which architecture: `tfn` (Tensor Field Network, seed eq. 5-7).
    public var name: String
    /// Highest rotation order of the hidden features.
    public var lmax: Int
    /// Channels per rotation order.
    public var channels: Int
    /// Number of interaction layers.
    public var layers: Int
    /// Radial cutoff in Å.
    public var cutoff: Double
    /// Radial basis: `bessel` or `gaussian`.
    public var radialBasis: String
    /// Number of radial basis functions.
    public var radialCount: Int
    /// Hidden width of the radial MLP.
    public var radialHidden: Int
    /// Exponent p of the polynomial cutoff envelope.
    public var envelopeExponent: Int
    /// Nonlinearity: `norm` (seed) or `gate` (e3nn).
    public var nonlinearity: String
    /// Atomic numbers the embedding knows; other elements are an error.
    public var elements: [Int]
    /// Graph readout for intensive targets: `mean` or `sum` (extensive targets are always summed).
    public var readout: String
    /// Maximum neighbours per atom (nil: unlimited).
    public var maxNeighbors: Int?
    /// Average number of incoming edges per atom in the training set; messages summed over
    /// neighbours are divided by `√averageNeighbors` (nil: `defaultAverageNeighbors`).
    public var averageNeighbors: Double?

    /// Used when `averageNeighbors` is nil (about right for organic molecules with a 4-5 Å cutoff).
    public static let defaultAverageNeighbors = 12.0
    /// `averageNeighbors ?? defaultAverageNeighbors`.
    public var effectiveAverageNeighbors: Double { averageNeighbors ?? Self.defaultAverageNeighbors }

    enum CodingKeys: String, CodingKey {
        case name, lmax, channels, layers, cutoff
        case radialBasis = "radial_basis", radialCount = "radial_count", radialHidden = "radial_hidden"
        case envelopeExponent = "envelope_exponent", nonlinearity, elements, readout
        case maxNeighbors = "max_neighbors"
        case averageNeighbors = "avg_num_neighbors"
    }

    public init(name: String = "tfn", lmax: Int = 2, channels: Int = 32, layers: Int = 3, cutoff: Double = 5.0,
                radialBasis: String = "bessel", radialCount: Int = 8, radialHidden: Int = 32,
                envelopeExponent: Int = 6, nonlinearity: String = "norm", elements: [Int] = [1, 6, 7, 8, 9],
                readout: String = "mean", maxNeighbors: Int? = nil, averageNeighbors: Double? = nil) {
        self.name = name; self.lmax = lmax; self.channels = channels; self.layers = layers; self.cutoff = cutoff
        self.radialBasis = radialBasis; self.radialCount = radialCount; self.radialHidden = radialHidden
        self.envelopeExponent = envelopeExponent; self.nonlinearity = nonlinearity; self.elements = elements
        self.readout = readout; self.maxNeighbors = maxNeighbors; self.averageNeighbors = averageNeighbors
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ModelConfig()
        name = try c.decode(String.self, forKey: .name)
        lmax = try c.decodeIfPresent(Int.self, forKey: .lmax) ?? d.lmax
        channels = try c.decodeIfPresent(Int.self, forKey: .channels) ?? d.channels
        layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? d.layers
        cutoff = try c.decodeIfPresent(Double.self, forKey: .cutoff) ?? d.cutoff
        radialBasis = try c.decodeIfPresent(String.self, forKey: .radialBasis) ?? d.radialBasis
        radialCount = try c.decodeIfPresent(Int.self, forKey: .radialCount) ?? d.radialCount
        radialHidden = try c.decodeIfPresent(Int.self, forKey: .radialHidden) ?? d.radialHidden
        envelopeExponent = try c.decodeIfPresent(Int.self, forKey: .envelopeExponent) ?? d.envelopeExponent
        nonlinearity = try c.decodeIfPresent(String.self, forKey: .nonlinearity) ?? d.nonlinearity
        elements = try c.decodeIfPresent([Int].self, forKey: .elements) ?? d.elements
        readout = try c.decodeIfPresent(String.self, forKey: .readout) ?? d.readout
        maxNeighbors = try c.decodeIfPresent(Int.self, forKey: .maxNeighbors)
        averageNeighbors = try c.decodeIfPresent(Double.self, forKey: .averageNeighbors)
    }

    /// Known architectures.
    public static let knownModels = ["tfn"]

    public func validate(file: String) throws {
        func fail(_ key: String, _ m: String) -> ConfigError { ConfigError(file: file, key: "model.\(key)", m) }
        guard Self.knownModels.contains(name) else {
            throw fail("name", "unknown model '\(name)'; known: \(Self.knownModels.joined(separator: ", "))")
        }
        guard (0...6).contains(lmax) else { throw fail("lmax", "must be in 0...6, got \(lmax)") }
        guard channels >= 1 else { throw fail("channels", "must be >= 1, got \(channels)") }
        guard layers >= 1 else { throw fail("layers", "must be >= 1, got \(layers)") }
        guard cutoff > 0, cutoff.isFinite else { throw fail("cutoff", "must be a positive number of Å, got \(cutoff)") }
        guard ["bessel", "gaussian"].contains(radialBasis) else {
            throw fail("radial_basis", "must be 'bessel' or 'gaussian', got '\(radialBasis)'")
        }
        guard radialCount >= 1 else { throw fail("radial_count", "must be >= 1") }
        guard radialHidden >= 1 else { throw fail("radial_hidden", "must be >= 1") }
        guard envelopeExponent >= 2 else { throw fail("envelope_exponent", "must be >= 2") }
        guard ["norm", "gate"].contains(nonlinearity) else {
            throw fail("nonlinearity", "must be 'norm' or 'gate', got '\(nonlinearity)'")
        }
        guard !elements.isEmpty, elements.allSatisfy({ (1...118).contains($0) }), Set(elements).count == elements.count else {
            throw fail("elements", "must be a non-empty list of distinct atomic numbers in 1...118")
        }
        guard ["mean", "sum"].contains(readout) else { throw fail("readout", "must be 'mean' or 'sum'") }
        if let m = maxNeighbors, m < 1 { throw fail("max_neighbors", "must be >= 1") }
        if let a = averageNeighbors, !(a > 0 && a.isFinite) {
            throw fail("avg_num_neighbors", "must be a positive number, got \(a)")
        }
    }
}
