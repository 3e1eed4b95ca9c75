import SE3Data

/// Maps dataset targets (physical units, Cartesian form) to the standardised values a model
/// predicts, and back. Stored in checkpoints (Codable), so evaluation uses exactly the
/// statistics the model was trained with.
///
/// For a target with mean μ, standard deviation σ (σ ≤ 0 or non-finite is replaced by 1) and,
/// for extensive targets, per-element references r_Z, a structure with N atoms Z_1…Z_N:
/// - intensive scalar (graph or atom level): t = (y − μ) / σ;
/// - extensive graph scalar (energies; the model SUMS per-atom contributions):
///   t = (y − Σ_i r_{Z_i} − N μ) / σ, i.e. y = Σ_i (r_{Z_i} + μ + σ o_i), with μ, σ the per-atom
///   residual statistics of the dataset (`DatasetStatistics`); its loss is taken per atom (see
///   `LossFunction`);
/// - vector (1o): t = y / σ (no mean: a mean vector is not rotation-invariant);
/// - rank 2 (0e + 2e, 3×3 row-major): T = (Y − μ I) / σ: the mean acts on the isotropic part only,
///   one σ for all components.
/// The inverse maps are exact algebraic inverses, so `physical(standardized(y)) == y` up to rounding.
public struct TargetNormalizer: Codable, Equatable, Sendable {
    public struct Target: Codable, Equatable, Sendable {
        public var name: String
        public var level: TargetLevel
        public var kind: TargetKind
        public var units: String
        public var extensive: Bool
        public var mean: Double
        public var std: Double
        /// r_Z for Z = 0…118 (extensive targets only).
        public var elementReferences: [Double]?
        /// Predicted as `−∂E/∂x` of the energy target (`targets[i].forces: conservative`), not by a head.
        public var conservative: Bool = false

        public init(name: String, level: TargetLevel, kind: TargetKind, units: String, extensive: Bool = false,
                    mean: Double, std: Double, elementReferences: [Double]? = nil) {
            self.name = name; self.level = level; self.kind = kind; self.units = units
            self.extensive = extensive; self.mean = mean
            self.std = (std.isFinite && std > 0) ? std : 1
            self.elementReferences = elementReferences
        }

        /// Components per graph (graph level) or per atom (atom level): 1, 3 or 9.
        enum CodingKeys: String, CodingKey {
            case name, level, kind, units, extensive, mean, std, elementReferences, conservative
        }

        /// `conservative` may be absent (checkpoints written before it existed).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            level = try c.decode(TargetLevel.self, forKey: .level)
            kind = try c.decode(TargetKind.self, forKey: .kind)
            units = try c.decode(String.self, forKey: .units)
            extensive = try c.decode(Bool.self, forKey: .extensive)
            mean = try c.decode(Double.self, forKey: .mean)
            std = try c.decode(Double.self, forKey: .std)
            elementReferences = try c.decodeIfPresent([Double].self, forKey: .elementReferences)
            conservative = try c.decodeIfPresent(Bool.self, forKey: .conservative) ?? false
        }

        public var components: Int { kind.components }

        /// Σ_i r_{Z_i} over the atoms (0 without references or for unknown Z).
        @inlinable
        public func referenceSum(_ atomicNumbers: ArraySlice<Int32>) -> Double {
            guard let r = elementReferences else { return 0 }
            var s = 0.0
            for z in atomicNumbers where z >= 0 && Int(z) < r.count { s += r[Int(z)] }
            return s
        }

        /// Physical → standardised for one structure. `values` holds k values (graph) or N·k (atom).
        public func standardized(_ values: ArraySlice<Double>, atomicNumbers: ArraySlice<Int32>) -> [Double] {
            let inv = 1 / std
            switch kind {
            case .scalar:
                if extensive {
                    let shift = referenceSum(atomicNumbers) + Double(atomicNumbers.count) * mean
                    return values.map { ($0 - shift) * inv }
                }
                return values.map { ($0 - mean) * inv }
            case .vector:
                return values.map { $0 * inv }
            case .rank2:
                var out = Array(values)
                for i in out.indices { out[i] = (out[i] - (i % 9 % 4 == 0 ? mean : 0)) * inv }
                return out
            }
        }

        /// Standardised → physical for one structure (inverse of `standardized`).
        public func physical(_ values: ArraySlice<Double>, atomicNumbers: ArraySlice<Int32>) -> [Double] {
            switch kind {
            case .scalar:
                if extensive {
                    let shift = referenceSum(atomicNumbers) + Double(atomicNumbers.count) * mean
                    return values.map { $0 * std + shift }
                }
                return values.map { $0 * std + mean }
            case .vector:
                return values.map { $0 * std }
            case .rank2:
                var out = Array(values)
                for i in out.indices { out[i] = out[i] * std + (i % 9 % 4 == 0 ? mean : 0) }
                return out
            }
        }
    }

    public var targets: [Target]

    public init(targets: [Target]) { self.targets = targets }

    public func target(named name: String) -> Target? { targets.first { $0.name == name } }
}
