import SE3Core
/// Real Wigner-D matrices `D^0(R), ..., D^lmax(R)` stored back to back, each `(2l+1)×(2l+1)`
/// row-major: `D^l_{m n}` at `offset(l) + (m + l)(2l + 1) + (n + l)`,
/// `offset(l) = Σ_{l' < l} (2l' + 1)² = l (4l² − 1) / 3`.
public struct WignerDBlocks: Sendable, Equatable {
    /// Largest degree stored.
    public let lmax: Int
    /// Flat storage of all blocks, `WignerD.blockSize(lmax:)` values.
    public var storage: [Double]

    public init(lmax: Int, storage: [Double]) {
        require(storage.count == WignerD.blockSize(lmax: lmax), "WignerDBlocks: \(storage.count) values for lmax \(lmax), need \(WignerD.blockSize(lmax: lmax))")
        self.lmax = lmax
        self.storage = storage
    }

    /// Start of block `l` in `storage`.
    @inlinable public func offset(_ l: Int) -> Int { WignerD.offset(l) }

    /// `D^l_{m n}` (`m, n ∈ −l...l`).
    @inlinable public subscript(l: Int, m: Int, n: Int) -> Double {
        storage[WignerD.offset(l) + (m + l) * (2 * l + 1) + (n + l)]
    }

    /// Block `l` as a row-major `(2l+1)²` slice of `storage`.
    public func block(_ l: Int) -> ArraySlice<Double> {
        let o = WignerD.offset(l)
        return storage[o ..< o + (2 * l + 1) * (2 * l + 1)]
    }

    /// Block `l` as a new array.
    public func matrix(_ l: Int) -> [Double] { Array(block(l)) }

    /// `D^l x` for a `2l+1` vector `x`.
    public func apply(l: Int, _ x: [Double]) -> [Double] {
        let d = 2 * l + 1, o = WignerD.offset(l)
        return (0..<d).map { i in (0..<d).reduce(0) { $0 + storage[o + i * d + $1] * x[$1] } }
    }

    /// `(D^l)ᵀ x = (D^l)⁻¹ x` for a `2l+1` vector `x` (the inverse rotation, seed eq. 15–16).
    public func applyTransposed(l: Int, _ x: [Double]) -> [Double] {
        let d = 2 * l + 1, o = WignerD.offset(l)
        return (0..<d).map { j in (0..<d).reduce(0) { $0 + storage[o + $1 * d + j] * x[$1] } }
    }
}
