import Foundation
import SE3Data
import SE3Math

/// Small synthetic molecular datasets written in the se3 dataset format.
///   y   (graph scalar, eV):  Σ_i c[Z_i] + 0.5 Σ_{i<j} exp(−d_ij)   (c: H 1, C 2, N 3, O 4)
///   q   (atom scalar, e):    0.1 Z_i − mean over the molecule
///   mu  (graph vector, D):   Σ_i q_i r_i
enum TestData {
    static let elements: [Int32] = [1, 6, 7, 8]

    static func molecule(_ rng: inout SeededGenerator, id: Int64, elements: [Int32] = TestData.elements) -> Structure {
        let n = 3 + Int(rng.next() % 5)
        var z: [Int32] = [], r: [SIMD3<Double>] = []
        for _ in 0..<n {
            z.append(elements[Int(rng.next() % UInt64(elements.count))])
            r.append(SIMD3(Double.random(in: -1.5...1.5, using: &rng), Double.random(in: -1.5...1.5, using: &rng),
                           Double.random(in: -1.5...1.5, using: &rng)))
        }
        let c: [Int32: Double] = [1: 1, 6: 2, 7: 3, 8: 4, 9: 5]
        var y = 0.0
        for i in 0..<n {
            y += c[z[i]] ?? 0
            for j in (i + 1)..<n {
                let d = r[i] - r[j]
                y += 0.5 * Foundation.exp(-(d * d).sum().squareRoot())
            }
        }
        let raw = z.map { 0.1 * Double($0) }
        let mean = raw.reduce(0, +) / Double(n)
        let q = raw.map { $0 - mean }
        var mu = SIMD3<Double>.zero
        for i in 0..<n { mu += q[i] * r[i] }
        return Structure(atomicNumbers: z, positions: r, id: id,
                         graphTargets: ["y": [y], "mu": [mu.x, mu.y, mu.z]], atomTargets: ["q": q])
    }

    static let targets = [
        TargetInfo(name: "y", level: .graph, kind: .scalar, units: "eV"),
        TargetInfo(name: "mu", level: .graph, kind: .vector, units: "D"),
        TargetInfo(name: "q", level: .atom, kind: .scalar, units: "e"),
    ]

    static func structures(count: Int, seed: UInt64, firstID: Int64 = 0) -> [Structure] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { molecule(&rng, id: firstID + Int64($0)) }
    }

    /// Writes `structures` into one file, or `shards` files in a directory when shards > 1.
    @discardableResult
    static func write(_ structures: [Structure], to path: String, shards: Int = 1,
                      statistics: DatasetStatistics? = nil) throws -> String {
        if shards == 1 {
            let w = try DatasetWriter(path: path, targets: targets, chunkRows: 16)
            w.statistics = statistics
            try w.append(contentsOf: structures)
            try w.close()
        } else {
            let w = try ShardedDatasetWriter(directory: path, shards: shards, targets: targets, chunkRows: 16)
            w.setStatistics(statistics)
            for s in structures { try w.append(s) }
            try w.close()
        }
        return path
    }

    static func scratch(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("se3-train-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
