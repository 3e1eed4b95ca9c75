extension NeighborList {
    /// Safety margin on bin thickness so that rounding in fractional coordinates can never
    /// put a neighbour one bin further away than the geometry allows.
    static let binMargin = 1.0 + 1e-6

    struct Candidate {
        var source: Int32
        var shift: SIMD3<Int32>
        var vector: SIMD3<Double>
        var d2: Double
    }

    @inline(__always)
    static func shiftLess(_ a: SIMD3<Int32>, _ b: SIMD3<Int32>) -> Bool {
        if a.x != b.x { return a.x < b.x }
        if a.y != b.y { return a.y < b.y }
        return a.z < b.z
    }

    func buildEdges(positions: [SIMD3<Double>], geometry geo: CellGeometry, lattice: [SIMD3<Double>],
                    context: String) throws -> GraphEdges {
        let n = positions.count
        let rc = cutoff, rc2 = cutoff * cutoff
        let rcm = cutoff * NeighborList.binMargin
        let per = [geo.periodic.x != 0, geo.periodic.y != 0, geo.periodic.z != 0]

        // Fractional coordinates; wrap periodic ones into [0, 1), remembering the image n0.
        var frac = [SIMD3<Double>](repeating: .zero, count: n)
        var n0 = [SIMD3<Int32>](repeating: .zero, count: n)
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for a in 0..<n {
            var f = geo.fractional(positions[a])
            var w = SIMD3<Int32>.zero
            for d in 0..<3 where per[d] {
                guard abs(f[d]) < 1e9 else {
                    throw DataError(file: context, field: "positions",
                                    "atom \(a) lies \(f[d]) cells away from the origin cell along lattice vector \(d)")
                }
                let fl = f[d].rounded(.down)
                w[d] = Int32(fl)
                f[d] -= fl
                if f[d] >= 1 { f[d] = 0; w[d] += 1 }  // rounding: -tiny + 1 == 1
                if f[d] < 0 { f[d] = 0 }
            }
            frac[a] = f
            n0[a] = w
            lo = pointwiseMin(lo, f)
            hi = pointwiseMax(hi, f)
        }

        // Bins per direction: each at least rcm thick perpendicular to its faces.
        var nb = [1, 1, 1]
        for d in 0..<3 {
            let extent = per[d] ? geo.heights[d] : (hi[d] - lo[d]) * geo.heights[d]
            let c = (extent / rcm).rounded(.down)
            nb[d] = c >= 1 ? Int(min(c, 1e6)) : 1
        }
        // Cap the number of bins (sparse clouds); fewer, thicker bins stay correct.
        let maxBins = 8 * n + 64
        while nb[0] * nb[1] * nb[2] > maxBins {
            let d = nb[0] >= nb[1] && nb[0] >= nb[2] ? 0 : (nb[1] >= nb[2] ? 1 : 2)
            nb[d] = max(1, nb[d] / 2)
        }
        // Bin search reach per direction.
        var reach = [1, 1, 1]
        var visits = 1.0
        for d in 0..<3 {
            if per[d] {
                let k = (rcm * Double(nb[d]) / geo.heights[d]).rounded(.up)
                guard k <= 1e6 else {
                    throw DataError(file: context, field: "cell",
                                    "cell height \(geo.heights[d]) Å along lattice vector \(d) is too small for cutoff \(rc) Å")
                }
                reach[d] = max(1, Int(k))
            }
            visits *= Double(2 * reach[d] + 1)
        }
        guard visits <= 1e6 else {
            throw DataError(file: context, field: "cell",
                            "cell heights \(geo.heights) Å are too small for cutoff \(rc) Å (\(Int(visits)) image bins per atom)")
        }

        // Counting sort of atoms into bins.
        var binOf = [SIMD3<Int>](repeating: .zero, count: n)
        var linear = [Int](repeating: 0, count: n)
        let nbins = nb[0] * nb[1] * nb[2]
        var start = [Int](repeating: 0, count: nbins + 1)
        for a in 0..<n {
            var b = SIMD3<Int>.zero
            for d in 0..<3 {
                let t: Double
                if per[d] { t = frac[a][d] * Double(nb[d]) }
                else { t = hi[d] > lo[d] ? (frac[a][d] - lo[d]) / (hi[d] - lo[d]) * Double(nb[d]) : 0 }
                b[d] = min(max(Int(t.rounded(.down)), 0), nb[d] - 1)
            }
            binOf[a] = b
            linear[a] = (b.x * nb[1] + b.y) * nb[2] + b.z
            start[linear[a] + 1] += 1
        }
        for c in 0..<nbins { start[c + 1] += start[c] }
        var members = [Int32](repeating: 0, count: n)
        var fill = start
        for a in 0..<n { members[fill[linear[a]]] = Int32(a); fill[linear[a]] += 1 }

        let a0 = lattice[0], a1 = lattice[1], a2 = lattice[2]
        var src = [Int32](), dst = [Int32](), shf = [SIMD3<Int32>](), vec = [SIMD3<Double>]()
        var scratch = [Candidate]()
        scratch.reserveCapacity(128)
        let kmax = maxNeighbors

        positions.withUnsafeBufferPointer { pos in
        members.withUnsafeBufferPointer { mem in
        n0.withUnsafeBufferPointer { img in
            for i in 0..<n {
                scratch.removeAll(keepingCapacity: true)
                let bi = binOf[i], ni = img[i], ri = pos[i]
                for ox in -reach[0]...reach[0] {
                    var tx = bi.x + ox, sx: Int32 = 0
                    if per[0] { let (q, r) = floorDivMod(tx, nb[0]); tx = r; sx = Int32(q) }
                    else if tx < 0 || tx >= nb[0] { continue }
                    for oy in -reach[1]...reach[1] {
                        var ty = bi.y + oy, sy: Int32 = 0
                        if per[1] { let (q, r) = floorDivMod(ty, nb[1]); ty = r; sy = Int32(q) }
                        else if ty < 0 || ty >= nb[1] { continue }
                        for oz in -reach[2]...reach[2] {
                            var tz = bi.z + oz, sz: Int32 = 0
                            if per[2] { let (q, r) = floorDivMod(tz, nb[2]); tz = r; sz = Int32(q) }
                            else if tz < 0 || tz >= nb[2] { continue }
                            let c = (tx * nb[1] + ty) * nb[2] + tz
                            let binShift = SIMD3<Int32>(sx, sy, sz) &+ ni
                            for m in start[c]..<start[c + 1] {
                                let j = Int(mem[m])
                                let s = binShift &- img[j]
                                if j == i && s == .zero { continue }
                                let shiftCart = Double(s.x) * a0 + Double(s.y) * a1 + Double(s.z) * a2
                                let v = (pos[j] + shiftCart) - ri
                                let d2 = (v * v).sum()
                                if d2 < rc2 {
                                    scratch.append(Candidate(source: Int32(j), shift: s, vector: v, d2: d2))
                                }
                            }
                        }
                    }
                }
                if let k = kmax, scratch.count > k {
                    scratch.sort { a, b in
                        if a.d2 != b.d2 { return a.d2 < b.d2 }
                        if a.source != b.source { return a.source < b.source }
                        return NeighborList.shiftLess(a.shift, b.shift)
                    }
                    scratch.removeLast(scratch.count - k)
                }
                scratch.sort { a, b in
                    if a.source != b.source { return a.source < b.source }
                    return NeighborList.shiftLess(a.shift, b.shift)
                }
                for cnd in scratch {
                    src.append(cnd.source)
                    dst.append(Int32(i))
                    shf.append(cnd.shift)
                    vec.append(cnd.vector)
                }
            }
        }
        }
        }
        return GraphEdges(source: src, destination: dst, shifts: shf, vectors: vec)
    }
}

/// `(q, r)` with `a = q·b + r`, `0 <= r < b` (b > 0).
@inline(__always)
func floorDivMod(_ a: Int, _ b: Int) -> (Int, Int) {
    var q = a / b, r = a % b
    if r < 0 { r += b; q -= 1 }
    return (q, r)
}
