/// A direct sum of O(3) irreps with multiplicities, e.g. `16x0e+8x1o+4x2e` (value type).
///
/// Feature layout (se3, e3nn-jax's "ir_mul"): the entries are laid out one after another; entry
/// `i` occupies `offsets[i] ..< offsets[i] + entries[i].dim`, and inside it component `m` of channel
/// `u` sits at `offsets[i] + (m + l) · mul + u` (channels innermost, the layout of every se3 layer;
/// e3nn's "mul_ir" order `u · (2l + 1) + (m + l)` differs only inside an entry).
///
/// `Irreps` is a `RandomAccessCollection` of `MulIrrep` entries, so `count` is the number of
/// entries (terms), not the number of irreps (`numIrreps = Σ mul`) nor the dimension (`dim`).
/// Textual form and `Codable` form are the same string (`description`).
public struct Irreps: Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    /// The entries, in order.
    public private(set) var entries: [MulIrrep]

    /// Creates irreps from entries (kept as given: no sorting or merging).
    public init(_ entries: [MulIrrep] = []) { self.entries = entries }

    /// Creates irreps from `(mul, irrep)` pairs.
    public init(_ pairs: [(Int, Irrep)]) { self.entries = pairs.map { MulIrrep($0.0, $0.1) } }

    /// One copy of a single irrep.
    public init(_ irrep: Irrep) { self.entries = [MulIrrep(1, irrep)] }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }
    public subscript(position: Int) -> MulIrrep { entries[position] }

    // MARK: Sizes

    /// Total dimension `Σ mul · (2l + 1)`.
    public var dim: Int { entries.reduce(0) { $0 + $1.dim } }

    /// Number of irreps `Σ mul`.
    public var numIrreps: Int { entries.reduce(0) { $0 + $1.mul } }

    /// Largest degree present (entries with `mul = 0` included, as e3nn); `−1` when empty.
    public var lmax: Int { entries.map { $0.irrep.l }.max() ?? -1 }

    /// Degrees of every irrep, repeated `mul` times (e3nn `ls`).
    public var ls: [Int] { entries.flatMap { Array(repeating: $0.irrep.l, count: $0.mul) } }

    /// Total multiplicity of `irrep`.
    public func multiplicity(of irrep: Irrep) -> Int {
        entries.reduce(0) { $0 + ($1.irrep == irrep ? $1.mul : 0) }
    }

    /// Whether `irrep` occurs (with any multiplicity, including 0, as e3nn).
    public func contains(_ irrep: Irrep) -> Bool { entries.contains { $0.irrep == irrep } }

    // MARK: Offsets

    /// Start offsets of the entries plus the total dimension at the end (`count + 1` values):
    /// `offsets[i] = Σ_{j<i} entries[j].dim`, `offsets[count] = dim`.
    public var offsets: [Int] {
        var out = [0]
        out.reserveCapacity(entries.count + 1)
        for e in entries { out.append(out[out.count - 1] + e.dim) }
        return out
    }

    /// Index range of entry `i` in a feature vector.
    public func slice(_ i: Int) -> Range<Int> {
        var start = 0
        for j in 0..<i { start += entries[j].dim }
        return start ..< start + entries[i].dim
    }

    /// Index ranges of all entries (e3nn `slices()`).
    public var slices: [Range<Int>] {
        let o = offsets
        return (0..<entries.count).map { o[$0] ..< o[$0 + 1] }
    }

    /// `"16x0e+8x1o"` (empty irreps print as `""`).
    public var description: String { entries.map(\.description).joined(separator: "+") }
}
