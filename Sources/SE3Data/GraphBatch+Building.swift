extension GraphBatch {
    /// Concatenates structures with their precomputed edges (`graphs[g].1` are the edges
    /// of `graphs[g].0`, local indices).
    ///
    /// All structures must carry the same target names; a graph target must have the same
    /// number of values in every structure, an atom target `atomCount · c` values with the
    /// same `c` everywhere.
    /// - Throws: `DataError` (file `context`, field `graph/<name>` or `atom/<name>`) otherwise.
    public init(graphs: [(Structure, GraphEdges)], context: String = "batch") throws {
        let g = graphs.count
        var atoms = 0, edges = 0
        for (s, e) in graphs { atoms += s.atomCount; edges += e.count }
        guard atoms < Int(Int32.max) else {
            throw DataError(file: context, field: "atoms", "too many atoms (\(atoms)) in one batch")
        }
        var z = [Int32](); z.reserveCapacity(atoms)
        var pos = [SIMD3<Double>](); pos.reserveCapacity(atoms)
        var gi = [Int32](); gi.reserveCapacity(atoms)
        var aoff = [0]; aoff.reserveCapacity(g + 1)
        var src = [Int32](); src.reserveCapacity(edges)
        var dst = [Int32](); dst.reserveCapacity(edges)
        var vec = [SIMD3<Double>](); vec.reserveCapacity(edges)
        var shf = [SIMD3<Int32>](); shf.reserveCapacity(edges)
        var eoff = [0]; eoff.reserveCapacity(g + 1)
        var cells = [SIMD3<Double>](); cells.reserveCapacity(3 * g)
        var pbc = [SIMD3<UInt8>](); pbc.reserveCapacity(g)
        var ids = [Int64?](); ids.reserveCapacity(g)

        // target layout from the first structure
        let graphNames = graphs.first.map { $0.0.graphTargets.keys.sorted() } ?? []
        let atomNames = graphs.first.map { $0.0.atomTargets.keys.sorted() } ?? []
        var graphComponents = [String: Int](), atomComponents = [String: Int]()
        var gt = [String: [Double]](), at = [String: [Double]]()
        for name in graphNames { gt[name] = [] }
        for name in atomNames { at[name] = [] }

        for (k, (s, e)) in graphs.enumerated() {
            let label = "structure \(s.id.map(String.init) ?? "#\(k)")"
            guard s.positions.count == s.atomCount else {
                throw DataError(file: context, field: "positions", "\(label): \(s.positions.count) positions for \(s.atomCount) atoms")
            }
            let base = Int32(aoff[k])
            z += s.atomicNumbers
            pos += s.positions
            gi += [Int32](repeating: Int32(k), count: s.atomCount)
            aoff.append(aoff[k] + s.atomCount)
            for t in 0..<e.count {
                guard e.source[t] >= 0, Int(e.source[t]) < s.atomCount, e.destination[t] >= 0, Int(e.destination[t]) < s.atomCount else {
                    throw DataError(file: context, field: "edges", "\(label): edge \(t) refers to an atom outside 0..<\(s.atomCount)")
                }
                src.append(e.source[t] + base)
                dst.append(e.destination[t] + base)
            }
            vec += e.vectors
            shf += e.shifts
            eoff.append(eoff[k] + e.count)
            if s.isPeriodic, let c = s.cell, c.count == 3 {
                cells += c
                pbc.append(s.pbc ?? .zero)
            } else {
                cells += [.zero, .zero, .zero]
                pbc.append(.zero)
            }
            ids.append(s.id)

            guard s.graphTargets.count == graphNames.count, s.atomTargets.count == atomNames.count else {
                throw DataError(file: context, field: "targets",
                                "\(label) has targets \(s.graphTargets.keys.sorted()) / \(s.atomTargets.keys.sorted()), expected \(graphNames) / \(atomNames)")
            }
            for name in graphNames {
                guard let v = s.graphTargets[name] else {
                    throw DataError(file: context, field: "graph/\(name)", "\(label) lacks graph target \(name)")
                }
                if let c = graphComponents[name], c != v.count {
                    throw DataError(file: context, field: "graph/\(name)", "\(label) has \(v.count) values, expected \(c)")
                }
                graphComponents[name] = v.count
                gt[name]! += v
            }
            for name in atomNames {
                guard let v = s.atomTargets[name] else {
                    throw DataError(file: context, field: "atom/\(name)", "\(label) lacks atom target \(name)")
                }
                if s.atomCount > 0 {
                    guard v.count % s.atomCount == 0 else {
                        throw DataError(file: context, field: "atom/\(name)", "\(label) has \(v.count) values for \(s.atomCount) atoms")
                    }
                    let c = v.count / s.atomCount
                    if let c0 = atomComponents[name], c0 != c {
                        throw DataError(file: context, field: "atom/\(name)", "\(label) has \(c) components per atom, expected \(c0)")
                    }
                    atomComponents[name] = c
                } else if !v.isEmpty {
                    throw DataError(file: context, field: "atom/\(name)", "\(label) has \(v.count) values but no atoms")
                }
                at[name]! += v
            }
        }
        self.init(atomicNumbers: z, positions: pos, graphIndex: gi, atomOffsets: aoff, source: src, destination: dst,
                  edgeVectors: vec, shifts: shf, edgeOffsets: eoff, cells: cells, pbc: pbc,
                  graphTargets: gt, atomTargets: at, ids: ids)
    }
}
