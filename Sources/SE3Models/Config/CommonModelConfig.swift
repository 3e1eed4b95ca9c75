import SE3Config

/// The part of the `model:` section every architecture shares: which elements it embeds, the
/// radius graph, the radial embedding of edge lengths, and how graph heads pool atoms.
public struct CommonModelConfig: Codable, Equatable, Sendable {
    /// Atomic numbers the embedding knows; other elements are an error.
    public var elements: [Int]
    /// Radial cutoff in Å.
    public var cutoff: Double
    /// Radial basis of the edge lengths.
    public var radialBasis: RadialBasisKind
    /// Number of radial basis functions.
    public var radialCount: Int
    /// Exponent p of the polynomial cutoff envelope.
    public var envelopeExponent: Int
    /// Graph readout of intensive graph heads (extensive targets are always summed).
    public var readout: Readout
    /// Maximum neighbours per atom (nil: unlimited).
    public var maxNeighbors: Int?
    /// Average number of incoming edges per atom in the training set; messages summed over
    /// neighbours are divided by `√averageNeighbors` (nil: `defaultAverageNeighbors`; the trainer
    /// measures and records it when unset).
    public var averageNeighbors: Double?

    /// Used when `averageNeighbors` is nil (about right for organic molecules with a 4-5 Å cutoff).
    public static let defaultAverageNeighbors = 12.0
    /// `averageNeighbors ?? defaultAverageNeighbors`.
    public var effectiveAverageNeighbors: Double { averageNeighbors ?? Self.defaultAverageNeighbors }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case elements, cutoff, radialBasis = "radial_basis", radialCount = "radial_count"
        case envelopeExponent = "envelope_exponent", readout, maxNeighbors = "max_neighbors"
        case averageNeighbors = "avg_num_neighbors"
    }

    /// The keys this part reads from the `model:` section.
    public static var keys: [String] { CodingKeys.allCases.map(\.stringValue) }

    public init(elements: [Int] = [1, 6, 7, 8, 9], cutoff: Double = 5.0, radialBasis: RadialBasisKind = .bessel,
                radialCount: Int = 8, envelopeExponent: Int = 6, readout: Readout = .mean,
                maxNeighbors: Int? = nil, averageNeighbors: Double? = nil) {
        self.elements = elements; self.cutoff = cutoff; self.radialBasis = radialBasis; self.radialCount = radialCount
        self.envelopeExponent = envelopeExponent; self.readout = readout; self.maxNeighbors = maxNeighbors
        self.averageNeighbors = averageNeighbors
    }

    /// Decodes the common keys of a `model:` mapping (unknown keys are checked by `ModelConfig`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CommonModelConfig()
        elements = try c.decodeIfPresent([Int].self, forKey: .elements) ?? d.elements
        cutoff = try c.decodeIfPresent(Double.self, forKey: .cutoff) ?? d.cutoff
        radialBasis = try c.decodeIfPresent(RadialBasisKind.self, forKey: .radialBasis) ?? d.radialBasis
        radialCount = try c.decodeIfPresent(Int.self, forKey: .radialCount) ?? d.radialCount
        envelopeExponent = try c.decodeIfPresent(Int.self, forKey: .envelopeExponent) ?? d.envelopeExponent
        readout = try c.decodeIfPresent(Readout.self, forKey: .readout) ?? d.readout
        maxNeighbors = try c.decodeIfPresent(Int.self, forKey: .maxNeighbors)
        averageNeighbors = try c.decodeIfPresent(Double.self, forKey: .averageNeighbors)
    }

    /// Checks every value; errors name `file` and `model.<key>`.
    public func validate(file: String) throws {
        func fail(_ key: CodingKeys, _ m: String) -> ConfigError { ConfigError(file: file, key: "model.\(key.stringValue)", m) }
        guard cutoff > 0, cutoff.isFinite else { throw fail(.cutoff, "must be a positive number of Å, got \(cutoff)") }
        guard radialCount >= 1 else { throw fail(.radialCount, "must be >= 1, got \(radialCount)") }
        guard envelopeExponent >= 2 else { throw fail(.envelopeExponent, "must be >= 2, got \(envelopeExponent)") }
        guard !elements.isEmpty, elements.allSatisfy({ (1...118).contains($0) }), Set(elements).count == elements.count else {
            throw fail(.elements, "must be a non-empty list of distinct atomic numbers in 1...118")
        }
        if let m = maxNeighbors, m < 1 { throw fail(.maxNeighbors, "must be >= 1, got \(m)") }
        if let a = averageNeighbors, !(a > 0 && a.isFinite) {
            throw fail(.averageNeighbors, "must be a positive number, got \(a)")
        }
    }
}

/// `model.radial_basis`.
public enum RadialBasisKind: String, ConfigChoice {
    /// `BesselBasis`: √(2/c) sin(nπr/c)/r.
    case bessel
    /// `GaussianBasis`: Gaussians evenly spaced on [0, c].
    case gaussian
}
