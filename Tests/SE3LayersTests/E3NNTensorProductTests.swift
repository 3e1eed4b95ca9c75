import Foundation
import XCTest
import SE3Math
import SE3Tensor
import SE3Layers

/// se3's irreps-driven tensor products against e3nn 0.6.0 `o3.TensorProduct` (one `uvu`, one
/// `uvw` with mixed multiplicities; shared weights, default normalisation), reference values in
/// `Tests/Fixtures/e3nn/tensor_product.json` (written by `make_fixtures.py` there).
///
/// The basis change (docs/conventions.md): values of a block of degree `l` are the same numbers in
/// both libraries once vectors go through `P (x, y, z) = (z, x, y)`; the layouts differ (e3nn
/// `mul_ir`: `offset + u·(2l+1) + k`, se3 `ir_mul`: `offset + k·mul + u`); se3's CG block is
/// `ε √(2l3+1) wigner_3j` with `ε = ±1` per `(l1, l2, l3)`, and both libraries normalise a path by
/// `√(1/Σ n)` (e3nn's "element" normalisation) — so e3nn's product equals se3's with each path's
/// weights multiplied by its `ε`.
final class E3NNTensorProductTests: XCTestCase {
    struct File: Decodable {
        struct Product: Decodable {
            struct Instruction: Decodable {
                let i_in1: Int, i_in2: Int, i_out: Int, l1: Int, l2: Int, l3: Int
                let mode: String
                let normalization: Double
                let weight_offset: Int
            }
            let irreps_in1: String, irreps_in2: String, irreps_out: String
            let shared_weights: Bool
            let instructions: [Instruction]
            let weights: [Double]
            let x1: [[Double]], x2: [[Double]], x2_vectors: [[Double]], output: [[Double]]
        }
        let products: [String: Product]
    }

    struct Wigner3j: Decodable {
        struct Block: Decodable { let l1: Int, l2: Int, l3: Int; let values: [Double] }
        let blocks: [Block]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/e3nn", isDirectory: true)

    static func load<T: Decodable>(_ t: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// e3nn `mul_ir` rows → se3 `ir_mul` rows (`toE3NN` the other way).
    static func relayout(_ rows: [[Double]], _ irreps: Irreps, toE3NN: Bool = false) -> [Double] {
        let offsets = irreps.offsets
        var out: [Double] = []
        for row in rows {
            var r = [Double](repeating: 0, count: irreps.dim)
            for (i, e) in irreps.enumerated() {
                let d = 2 * e.irrep.l + 1
                for u in 0..<e.mul { for k in 0..<d {
                    let e3nn = offsets[i] + u * d + k, se3 = offsets[i] + k * e.mul + u
                    if toE3NN { r[e3nn] = row[se3] } else { r[se3] = row[e3nn] }
                } }
            }
            out += r
        }
        return out
    }

    func check(_ name: String) throws {
        let f = try Self.load(File.self, "tensor_product.json")
        let w3j = try Self.load(Wigner3j.self, "wigner_3j.json")
        let p = try XCTUnwrap(f.products[name])
        XCTAssertTrue(p.shared_weights)
        let a = try Irreps(p.irreps_in1), b = try Irreps(p.irreps_in2), c = try Irreps(p.irreps_out)
        let instructions = p.instructions.map {
            TensorProductPlan.Instruction(input: $0.i_in1, filter: $0.i_in2, output: $0.i_out,
                                          mode: TensorProductPlan.Mode(rawValue: $0.mode)!)
        }
        let plan = try TensorProductPlan(irrepsIn: a, irrepsFilter: b, irrepsOut: c, instructions: instructions,
                                         weightSharing: .shared)
        XCTAssertEqual(plan.weightsPerEdge, p.weights.count)
        var weights = p.weights
        for (k, ins) in p.instructions.enumerated() {
            let path = plan.paths[k]
            XCTAssertEqual(path.weightOffset, ins.weight_offset, name)
            // e3nn's coefficient on wigner_3j is ours on the CG block times √(2l3+1)
            XCTAssertEqual(path.alpha * Double(2 * ins.l3 + 1).squareRoot(), ins.normalization, accuracy: 1e-14, name)
            let block = try XCTUnwrap(w3j.blocks.first { $0.l1 == ins.l1 && $0.l2 == ins.l2 && $0.l3 == ins.l3 })
            let eps: Double = (block.values.first { Swift.abs($0) > 1e-9 } ?? 0) > 0 ? 1 : -1
            for i in path.weightOffset ..< path.weightOffset + path.weightCount { weights[i] *= eps }
        }
        // e3nn's filter values are se3's harmonics of P v
        let batch = p.x1.count
        let sh = p.x2_vectors.map { v in SphericalHarmonics.evaluate(lmax: 2, SIMD3(v[2], v[0], v[1])) }
        XCTAssertLessThan(zip(sh.joined(), Self.relayout(p.x2, b)).map { Swift.abs($0 - $1) }.max()!, 1e-12)
        let tape = Tape<Double>()
        let x = tape.constant(Tensor(shape: [batch, a.dim], scalars: Self.relayout(p.x1, a)))
        let y = tape.constant(Tensor(shape: [batch, b.dim], scalars: Self.relayout(p.x2, b)))
        let out = TensorProduct.edges(plan, input: x, sources: nil, filter: y,
                                      weights: tape.constant(Tensor(shape: [weights.count], scalars: weights)))
        let rows = (0..<batch).map { Array(out.value.scalars[$0 * c.dim ..< ($0 + 1) * c.dim]) }
        let ours = Self.relayout(rows, c, toE3NN: true)
        let expected = p.output.flatMap { $0 }
        XCTAssertEqual(ours.count, expected.count)
        XCTAssertGreaterThan(expected.map(Swift.abs).max()!, 0.1)
        XCTAssertLessThan(zip(ours, expected).map { Swift.abs($0 - $1) }.max()!, 1e-10, name)
    }

    func testChannelWiseProductMatchesE3NN() throws { try check("uvu") }

    func testChannelMixingProductMatchesE3NN() throws { try check("uvw") }
}
