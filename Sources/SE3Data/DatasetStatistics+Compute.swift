extension DatasetStatistics {
    /// Number of element reference slots (index = Z, 0...118).
    public static let elementSlots = 119

    /// Computes statistics of `targets` (default: all of `source.targets`) over every
    /// structure of `source`, reading it lazily in batches of `batchSize` (two passes when
    /// any target is extensive). `extensive` names graph-level scalar targets that get
    /// element references; naming any other target throws.
    public static func compute(source: StructureSource, targets names: [String]? = nil, extensive: Set<String> = [],
                               batchSize: Int = 1024, sourceName: String = "source") throws -> DatasetStatistics {
        let all = source.targets
        let selected: [TargetInfo] = try (names ?? all.map(\.name)).map { name in
            guard let t = all.first(where: { $0.name == name }) else {
                throw DataError(file: sourceName, field: name, "no target named \(name) in the dataset")
            }
            return t
        }
        for name in extensive {
            guard let t = selected.first(where: { $0.name == name }) else {
                throw DataError(file: sourceName, field: name, "extensive target \(name) is not among the selected targets")
            }
            guard t.level == .graph, t.kind == .scalar else {
                throw DataError(file: sourceName, field: DatasetFormat.path(of: t),
                                "extensive statistics need a graph-level scalar target, \(name) is \(t.level.rawValue)-level \(t.kind.rawValue)")
            }
        }
        let batch = max(1, batchSize)
        let n = source.count

        // Pass 1: plain moments (Welford) and, for extensive targets, normal equations.
        var moments: [String: Welford] = [:]
        var normal: [String: NormalEquations] = [:]
        for t in selected {
            if extensive.contains(t.name) { normal[t.name] = NormalEquations() } else { moments[t.name] = Welford() }
        }
        var start = 0
        while start < n {
            let structures = try source.read(start..<min(n, start + batch))
            for s in structures {
                for t in selected {
                    let values = (t.level == .graph ? s.graphTargets[t.name] : s.atomTargets[t.name]) ?? []
                    if extensive.contains(t.name) {
                        guard let y = values.first else { continue }
                        normal[t.name]!.add(atomicNumbers: s.atomicNumbers, y: y)
                    } else if t.kind == .scalar {
                        for v in values { moments[t.name]!.add(v) }
                    } else {
                        for v in values { moments[t.name]!.addSquareOnly(v) }
                    }
                }
            }
            start += batch
        }

        var entries: [String: Entry] = [:]
        var refs: [String: [Double]] = [:]
        for t in selected {
            let norm: Normalization = t.level == .graph ? .perGraph : .perAtom
            if let w = moments[t.name] {
                if t.kind == .scalar {
                    entries[t.name] = Entry(mean: w.mean, std: w.std, normalization: norm, count: w.count)
                } else {
                    entries[t.name] = Entry(mean: 0, std: w.rms, normalization: norm,
                                            count: w.count / t.kind.components)
                }
            } else if let eq = normal[t.name] {
                refs[t.name] = eq.solve()
            }
        }

        // Pass 2: per-atom residuals of extensive targets.
        if !refs.isEmpty {
            var residual: [String: Welford] = refs.mapValues { _ in Welford() }
            start = 0
            while start < n {
                let structures = try source.read(start..<min(n, start + batch))
                for s in structures where s.atomCount > 0 {
                    for (name, r) in refs {
                        guard let y = s.graphTargets[name]?.first else { continue }
                        var fit = 0.0
                        for z in s.atomicNumbers { fit += r[Int(z)] }
                        residual[name]!.add((y - fit) / Double(s.atomCount))
                    }
                }
                start += batch
            }
            for (name, r) in refs {
                let w = residual[name]!
                entries[name] = Entry(mean: w.mean, std: w.std, elementReferences: r, normalization: .perAtom, count: w.count)
            }
        }
        return DatasetStatistics(entries: entries, structureCount: n)
    }
}

/// Running mean / variance (Welford) and sum of squares.
struct Welford {
    var count = 0
    var mean = 0.0
    var m2 = 0.0
    var sumSquares = 0.0

    mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        m2 += d * (x - mean)
        sumSquares += x * x
    }

    mutating func addSquareOnly(_ x: Double) {
        count += 1
        sumSquares += x * x
    }

    var std: Double { count > 0 ? (m2 / Double(count)).squareRoot() : 0 }
    var rms: Double { count > 0 ? (sumSquares / Double(count)).squareRoot() : 0 }
}

/// Accumulates XᵀX and Xᵀy for the fit `y_g ≈ Σ_Z n_gZ r_Z` and solves it.
struct NormalEquations {
    static let slots = DatasetStatistics.elementSlots
    var xtx = [Double](repeating: 0, count: slots * slots)
    var xty = [Double](repeating: 0, count: slots)
    var present = [Bool](repeating: false, count: slots)

    mutating func add(atomicNumbers: [Int32], y: Double) {
        var counts: [Int: Double] = [:]
        for z in atomicNumbers where z >= 1 && Int(z) < Self.slots { counts[Int(z), default: 0] += 1 }
        for (a, ca) in counts {
            present[a] = true
            xty[a] += ca * y
            for (b, cb) in counts { xtx[a * Self.slots + b] += ca * cb }
        }
    }

    /// Least-squares references via pivoted Cholesky of XᵀX restricted to present elements;
    /// pivots below `1e-10 ×` the largest diagonal are treated as dependent (reference 0).
    func solve() -> [Double] {
        let idx = (0..<Self.slots).filter { present[$0] }
        let k = idx.count
        var refs = [Double](repeating: 0, count: Self.slots)
        guard k > 0 else { return refs }
        // Dense k×k copy.
        var a = [Double](repeating: 0, count: k * k)
        var b = [Double](repeating: 0, count: k)
        for i in 0..<k {
            b[i] = xty[idx[i]]
            for j in 0..<k { a[i * k + j] = xtx[idx[i] * Self.slots + idx[j]] }
        }
        // Pivoted Cholesky: P A Pᵀ = L Lᵀ on the leading `rank` pivots.
        var perm = Array(0..<k)
        let maxDiag = (0..<k).map { a[$0 * k + $0] }.max() ?? 0
        let tol = 1e-10 * max(maxDiag, 1e-300)
        var rank = 0
        var l = [Double](repeating: 0, count: k * k)
        var diag = (0..<k).map { a[$0 * k + $0] }
        for col in 0..<k {
            // choose the largest remaining diagonal
            var best = col
            for c in col..<k where diag[perm[c]] > diag[perm[best]] { best = c }
            if diag[perm[best]] <= tol { break }
            perm.swapAt(col, best)
            let p = perm[col]
            let lpp = diag[p].squareRoot()
            l[p * k + col] = lpp
            for r in (col + 1)..<max(col + 1, k) {
                let q = perm[r]
                var s = a[q * k + p]
                for m in 0..<col { s -= l[q * k + m] * l[p * k + m] }
                let v = s / lpp
                l[q * k + col] = v
                diag[q] -= v * v
            }
            rank += 1
        }
        // Solve L_r L_rᵀ x_r = b_r on the pivoted subset (dependent elements get 0).
        var y = [Double](repeating: 0, count: rank)
        for i in 0..<rank {
            var s = b[perm[i]]
            for m in 0..<i { s -= l[perm[i] * k + m] * y[m] }
            y[i] = s / l[perm[i] * k + i]
        }
        var x = [Double](repeating: 0, count: rank)
        for i in stride(from: rank - 1, through: 0, by: -1) {
            var s = y[i]
            for m in (i + 1)..<max(i + 1, rank) { s -= l[perm[m] * k + i] * x[m] }
            x[i] = s / l[perm[i] * k + i]
        }
        for i in 0..<rank { refs[idx[perm[i]]] = x[i] }
        return refs
    }
}
