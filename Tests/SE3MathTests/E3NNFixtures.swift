import Foundation
import SE3Math

/// Reference values written by `Tests/Fixtures/e3nn/make_fixtures.py` (e3nn 0.6.0, float64), and
/// the e3nn → se3 basis change they are checked under (see that script's docstring).
enum E3NNFixtures {
    /// `spherical_harmonics.json`: `values[i][l² + l + m]` = e3nn `Y^l_m(vectors[i])`, l ≤ `lmax`.
    struct SphericalHarmonicsFile: Decodable {
        let lmax: Int
        let vectors: [[Double]]
        let values: [[Double]]
    }

    /// `wigner_3j.json`: e3nn `wigner_3j(l1, l2, l3)`, row-major `[m1][m2][m3]`.
    struct Wigner3jFile: Decodable {
        struct Block: Decodable {
            let l1: Int, l2: Int, l3: Int
            let shape: [Int]
            let values: [Double]
        }
        let blocks: [Block]
    }

    /// `wigner_d.json`: rotations (row-major 3×3) with e3nn `Irrep(name).D_from_matrix(R)`,
    /// keyed by irrep name (`"2e"`), each `(2l+1)²` row-major.
    struct WignerDFile: Decodable {
        struct Entry: Decodable {
            let matrix: [Double]
            let D: [String: [Double]]
        }
        let rotations: [Entry]
        let improper: Entry
    }

    /// `Tests/Fixtures/e3nn/`, found from this source file (`Tests/SE3MathTests/E3NNFixtures.swift`).
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()        // SE3MathTests
        .deletingLastPathComponent()        // Tests
        .appendingPathComponent("Fixtures/e3nn", isDirectory: true)

    static func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    // MARK: - basis change

    /// `P (x, y, z) = (z, x, y)`: e3nn's polar axis `y` ↦ se3's polar axis `z` (proper, det +1).
    static let axisPermutation = Rotation(rows: SIMD3(0, 0, 1), SIMD3(1, 0, 0), SIMD3(0, 1, 0))

    /// `P v`.
    static func toSE3(_ v: [Double]) -> SIMD3<Double> { axisPermutation * SIMD3(v[0], v[1], v[2]) }

    /// `P R Pᵀ` of a row-major e3nn matrix.
    static func toSE3(rotation m: [Double]) -> Rotation {
        axisPermutation * Rotation(rowMajor: m) * axisPermutation.transposed
    }

    /// Sign `ε` of a block: that of its first entry (lexicographic `(m1, m2, m3)`) with
    /// `|value| > tolerance`; 0 for an all-zero block.
    static func leadingSign(_ values: [Double], tolerance: Double) -> Double {
        guard let first = values.first(where: { abs($0) > tolerance }) else { return 0 }
        return first > 0 ? 1 : -1
    }

    /// `"2e"` → `(2, .even)`.
    static func irrep(_ name: String) -> (l: Int, parity: Parity) {
        (Int(name.dropLast())!, name.last == "e" ? .even : .odd)
    }
}
