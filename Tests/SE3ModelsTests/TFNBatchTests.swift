import SE3Math
import SE3Models
import SE3Tensor
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A QM9-sized Float32 batch (16 molecules × 14–22 atoms, cutoff 5 Å): forward + backward
/// give finite outputs and gradients; prints the time per step (release builds).
final class TFNBatchTests: XCTestCase {
    /// Process CPU time (robust against other processes sharing the cores).
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    func testQM9SizedBatchForwardBackward() throws {
        var rng = SeededGenerator(seed: 99)
        let mols = RandomMolecules(rng: &rng, graphs: 16, atoms: 14...22, elements: [1, 6, 7, 8, 9],
                                   box: 5, cutoff: 5, keep: 1, minDistance: 1.0)
        let g = mols.graph
        let steps = Int(ProcessInfo.processInfo.environment["SE3_BENCH_STEPS"] ?? "") ?? 2
        for (lmax, channels) in [(1, 32), (2, 16), (2, 32)] {
            let config = tfnConfig(lmax: lmax, channels: channels, layers: 3, cutoff: 5, radialCount: 8, radialHidden: 32,
                                   elements: [1, 6, 7, 8, 9], averageNeighbors: Double(g.edgeCount) / Double(g.atomCount))
            let outputs = [OutputSpec(name: "homo", level: .graph, kind: .scalar),
                           OutputSpec(name: "u0", level: .graph, kind: .scalar, extensive: true)]
            let model = try ModelFactory.make(config: config, outputs: outputs, seed: 1)
            var best = Double.infinity, forwardBest = Double.infinity
            for _ in 0..<steps {
                model.store.zeroGrads()
                let t0 = Self.now()
                let tape = Tape<Float>(store: model.store)
                let out = try model.forward(g, tape: tape)
                let loss = mean(abs(out["homo"]!)) + mean(abs(out["u0"]!))
                let t1 = Self.now()
                tape.backward(loss)
                let t2 = Self.now()
                best = min(best, t2 - t0)
                forwardBest = min(forwardBest, t1 - t0)
                XCTAssertTrue(loss.scalar.isFinite)
                XCTAssertTrue(model.store.grads.allSatisfy(\.isFinite))
                XCTAssertGreaterThan(model.store.gradientNorm(), 0)
            }
            print(String(format: "TFN batch lmax %d, C %d: %d atoms, %d edges, %d parameters: %.1f ms CPU/step (forward %.1f ms)",
                         lmax, channels, g.atomCount, g.edgeCount, model.store.count, best * 1e3, forwardBest * 1e3))
        }
    }
}
