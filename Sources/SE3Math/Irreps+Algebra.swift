extension Irreps {
    /// Concatenation (direct sum, order kept).
    public static func + (a: Irreps, b: Irreps) -> Irreps { Irreps(a.entries + b.entries) }

    /// Stable sort of the entries by irrep in e3nn order (`l`, then odd before even), with the
    /// permutation: `inverse[k]` is the original index of sorted entry `k`, and
    /// `permutation[i]` is the sorted position of original entry `i` (e3nn `sort()` returns
    /// `(irreps, p, inv)` with these meanings).
    public func sortedWithPermutation() -> (irreps: Irreps, permutation: [Int], inverse: [Int]) {
        let inv = entries.indices.sorted { i, j in
            entries[i].irrep != entries[j].irrep ? entries[i].irrep < entries[j].irrep : i < j
        }
        var p = [Int](repeating: 0, count: inv.count)
        for (k, i) in inv.enumerated() { p[i] = k }
        return (Irreps(inv.map { entries[$0] }), p, inv)
    }

    /// Entries sorted (stably) by irrep in e3nn order; no merging.
    public func sorted() -> Irreps { sortedWithPermutation().irreps }

    /// e3nn's `simplify()`: merges *consecutive* equal irreps and drops `mul = 0` entries,
    /// without sorting (`1e+1e+0e+1e` → `2x1e+1x0e+1x1e`).
    public func mergingConsecutive() -> Irreps {
        var out: [MulIrrep] = []
        for e in entries {
            if let last = out.last, last.irrep == e.irrep {
                out[out.count - 1].mul += e.mul
            } else if e.mul > 0 {
                out.append(e)
            }
        }
        return Irreps(out)
    }

    /// Canonical form: sorted (e3nn order) then merged, `mul = 0` entries removed
    /// (e3nn `sort().irreps.simplify()`, a.k.a. `regroup()`): `1o+0e+1o+2x0e` → `3x0e+2x1o`.
    public func simplified() -> Irreps { sorted().mergingConsecutive() }

    /// Entries with `mul > 0` only.
    public func removingZeroMultiplicities() -> Irreps { Irreps(entries.filter { $0.mul > 0 }) }

    /// Entries with `l ≤ lmax` only.
    public func filter(lmax: Int) -> Irreps { Irreps(entries.filter { $0.irrep.l <= lmax }) }

    /// Output irreps of e3nn's `FullTensorProduct(a, b)`: for every pair of entries
    /// `(m1 × ir1, m2 × ir2)` and every `ir ∈ ir1 ⊗ ir2`, one entry `(m1 · m2) × ir`;
    /// the result is `simplified()` (sorted and merged).
    public static func tensorProductIrreps(_ a: Irreps, _ b: Irreps) -> Irreps {
        var out: [MulIrrep] = []
        for e1 in a.entries {
            for e2 in b.entries {
                for ir in Irrep.productIrreps(e1.irrep, e2.irrep) {
                    out.append(MulIrrep(e1.mul * e2.mul, ir))
                }
            }
        }
        return Irreps(out).simplified()
    }

    /// Same as `tensorProductIrreps(a, b)`.
    public static func * (a: Irreps, b: Irreps) -> Irreps { tensorProductIrreps(a, b) }

    /// Entries repeated `n` times (e3nn `irreps * n`): `(1x0e+1x1o) * 2 = 1x0e+1x1o+1x0e+1x1o`.
    public static func * (a: Irreps, n: Int) -> Irreps {
        Irreps(Array((0..<Swift.max(n, 0)).map { _ in a.entries }.joined()))
    }

    /// Spherical-harmonic irreps `1x0e+1x1o+1x2e+...` up to `lmax`: entry `l` has parity `p^l`
    /// (default `p = .odd`, i.e. natural parity `(−1)^l`; `p = .even` gives all even).
    public static func spherical(lmax: Int, p: Parity = .odd) -> Irreps {
        lmax < 0 ? Irreps() : Irreps((0...lmax).map { MulIrrep(1, Irrep($0, p.power($0))) })
    }

    /// `C` channels of every degree with natural parity: `Cx0e+Cx1o+Cx2e+...` up to `lmax`.
    public static func uniform(channels: Int, lmax: Int, p: Parity = .odd) -> Irreps {
        lmax < 0 ? Irreps() : Irreps((0...lmax).map { MulIrrep(channels, Irrep($0, p.power($0))) })
    }
}
