import XCTest
import SE3Data
import SE3Distributed
import SE3Models
import SE3Tensor
import SE3Train

/// The gradient of the mean loss over a global batch must not depend on how its structures
/// are split between ranks (here 3 + 5 of 8, on two simulated ranks).
final class GradientSyncTests: XCTestCase {
    let outputs = [OutputSpec(name: "y", level: .graph, kind: .scalar), OutputSpec(name: "mu", level: .graph, kind: .vector),
                   OutputSpec(name: "q", level: .atom, kind: .scalar)]
    let normalizer = TargetNormalizer(targets: [
        .init(name: "y", level: .graph, kind: .scalar, units: "eV", mean: 10, std: 3),
        .init(name: "mu", level: .graph, kind: .vector, units: "D", mean: 0, std: 0.5),
        .init(name: "q", level: .atom, kind: .scalar, units: "e", mean: 0, std: 0.2),
    ])

    /// ∇ Σ_g ℓ_g on `structures` (the gradient every rank computes), and Σ_g ℓ_g.
    func sumGradient(_ model: TinyModel<Float>, _ structures: [Structure]) throws -> ([Float], Double) {
        let batch = try BatchBuilder(cutoff: 3).build(structures)
        model.store.zeroGrads()
        let tape = Tape<Float>(store: model.store)
        let out = try model.forward(AtomGraph(batch), tape: tape)
        let f = LossFunction(kind: .l1, weights: ["y": 1, "mu": 2, "q": 0.5])
        let (loss, per) = try f.evaluate(outputs: out, targets: try normalizer.standardizedTargets(batch),
                                         normalizer: normalizer, batch: batch, tape: tape)
        tape.backward(loss)
        return (model.store.grads, per.reduce(0, +))
    }

    func testUnevenSplitGivesTheWholeBatchMeanGradient() throws {
        let model = try TinyModel<Float>(config: ModelConfig(TFNConfig(), common: CommonModelConfig(elements: [1, 6, 7, 8], cutoff: 3)), outputs: outputs, seed: 4)
        let all = TestData.structures(count: 8, seed: 21)
        let (whole, wholeLoss) = try sumGradient(model, all)
        let mean = whole.map { $0 / 8 }

        let (gB, lossB) = try sumGradient(model, Array(all[3...]))
        let (gA, lossA) = try sumGradient(model, Array(all[..<3]))
        let comm = PeerCommunicator()
        comm.peerFloats = gB
        comm.peerDoubles = [5, lossB, 0, 0]
        model.store.grads = gA
        let totals = try GradientSynchronizer<Float>(comm: comm).synchronizeGradients(model.store, localCount: 3,
                                                                                localLossSum: lossA, stop: false)
        XCTAssertEqual(comm.pairCalls, 1, "gradients and counts travel in one exchange")
        XCTAssertEqual(totals.count, 8)
        XCTAssertEqual(totals.lossSum, wholeLoss, accuracy: 1e-4 * wholeLoss)
        XCTAssertFalse(totals.stop)
        let scale = mean.map { Swift.abs($0) }.max()!
        XCTAssertGreaterThan(scale, 0)
        for i in mean.indices { XCTAssertEqual(model.store.grads[i], mean[i], accuracy: 1e-5 * scale, "component \(i)") }

        // The naive average of per-rank means weights the 3 structures of rank 0 too much.
        let naive = zip(gA, gB).map { ($0 / 3 + $1 / 5) / 2 }
        let worst = zip(naive, mean).map { Swift.abs($0 - $1) }.max()!
        XCTAssertGreaterThan(worst, 1e-3 * scale, "the test data must distinguish the weightings")
    }

    func testStopFlagOfAnyRankStopsAll() throws {
        let store = ParameterStore<Float>(parameters: [Parameter(name: "w", offset: 0, shape: [2])], values: [1, 2])
        store.grads = [4, 6]
        let comm = PeerCommunicator()
        comm.peerFloats = [2, 2]
        comm.peerDoubles = [1, 0.5, 1, 0]
        let t = try GradientSynchronizer<Float>(comm: comm).synchronizeGradients(store, localCount: 1, localLossSum: 1, stop: false)
        XCTAssertTrue(t.stop)
        XCTAssertFalse(t.checkpoint)
        XCTAssertEqual(store.grads, [3, 4])
        XCTAssertEqual(t.meanLoss, 0.75)
        // The checkpoint-time flag of any rank, in both sync modes.
        comm.peerDoubles = [1, 0.5, 0, 1]
        XCTAssertTrue(try GradientSynchronizer<Float>(comm: comm).synchronizeGradients(store, localCount: 1, localLossSum: 1, stop: false).checkpoint)
        comm.peerDoubles = [1, 0.5, 0, 0, 1]
        let p = try GradientSynchronizer<Float>(comm: comm).totals(localCount: 1, localLossSum: 1, stop: false)
        XCTAssertTrue(p.checkpoint)
        XCTAssertFalse(p.stop)
    }

    /// Issue #11 item 8: loss sums and counts travel as Double. In Float32, 10⁸ + 0.75 is 10⁸ and
    /// 2²⁴ + 1 structures count as 2²⁴.
    func testLossSumsAndCountsKeepDoublePrecision() throws {
        let store = ParameterStore<Float>(parameters: [Parameter(name: "w", offset: 0, shape: [1])], values: [0])
        store.grads = [1]
        let comm = PeerCommunicator()
        comm.peerFloats = [1]
        comm.peerDoubles = [16_777_216, 100_000_000.5, 0, 0]
        let t = try GradientSynchronizer<Float>(comm: comm).synchronizeGradients(store, localCount: 1, localLossSum: 0.25, stop: false)
        XCTAssertEqual(t.count, 16_777_217)
        XCTAssertEqual(t.lossSum, 100_000_000.75)
        XCTAssertEqual(comm.doubleCalls, 1)
        XCTAssertEqual(comm.floatCalls, 1)
        let single = try GradientSynchronizer<Float>(comm: SingleProcessCommunicator())
            .synchronizeGradients(store, localCount: 3, localLossSum: 123_456_789.125, stop: false)
        XCTAssertEqual(single.lossSum, 123_456_789.125)
    }

    func testSingleProcessDividesByLocalCount() throws {
        let store = ParameterStore<Float>(parameters: [Parameter(name: "w", offset: 0, shape: [3])], values: [0, 0, 0])
        store.grads = [4, 8, -12]
        let t = try GradientSynchronizer<Float>(comm: SingleProcessCommunicator())
            .synchronizeGradients(store, localCount: 4, localLossSum: 2, stop: false)
        XCTAssertEqual(store.grads, [1, 2, -3])
        XCTAssertEqual(t.count, 4)
        XCTAssertEqual(t.meanLoss, 0.5)
    }

    func testParameterAveragingIsTheMeanOverRanks() throws {
        var a: [Float] = [1, 2, 3], b: [Float] = [10]
        let comm = PeerCommunicator()
        comm.peerFloats = [3, 2, 1, 20]
        try a.withUnsafeMutableBufferPointer { pa in
            try b.withUnsafeMutableBufferPointer { pb in try GradientSynchronizer<Float>(comm: comm).averageParameters([pa, pb]) }
        }
        XCTAssertEqual(a, [2, 2, 2])
        XCTAssertEqual(b, [15])
        XCTAssertEqual(comm.floatCalls, 1)
    }
}
