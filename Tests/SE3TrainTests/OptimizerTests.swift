import XCTest
import SE3Train

final class OptimizerTests: XCTestCase {
    func testCosineScheduleWarmupAndEnd() {
        let s = LearningRateSchedule(kind: .cosine, peak: 1e-2, minLR: 1e-4, warmupSteps: 10, totalSteps: 110)
        XCTAssertEqual(s.rate(step: 0), 1e-3, accuracy: 1e-12)
        XCTAssertEqual(s.rate(step: 9), 1e-2, accuracy: 1e-12)
        XCTAssertEqual(s.rate(step: 10), 1e-2, accuracy: 1e-12)
        XCTAssertEqual(s.rate(step: 60), (1e-2 + 1e-4) / 2, accuracy: 1e-12)
        XCTAssertEqual(s.rate(step: 110), 1e-4, accuracy: 1e-12)
        for t in 10..<110 { XCTAssertGreaterThanOrEqual(s.rate(step: t), s.rate(step: t + 1)) }
    }

    func testPlateauReducesAfterPatience() {
        var s = LearningRateSchedule(kind: .plateau, peak: 1, minLR: 0.1, warmupSteps: 0, totalSteps: 10,
                                     factor: 0.5, patience: 1)
        s.observe(validationLoss: 1.0)
        s.observe(validationLoss: 1.0)
        XCTAssertEqual(s.rate(step: 5), 1)
        s.observe(validationLoss: 1.0)
        XCTAssertEqual(s.rate(step: 5), 0.5)
        s.observe(validationLoss: 0.5)
        XCTAssertEqual(s.rate(step: 5), 0.5)
        for _ in 0..<20 { s.observe(validationLoss: 0.9) }
        XCTAssertEqual(s.rate(step: 5), 0.1)
    }

    /// AdamW against a direct transcription of the update for two steps.
    func testAdamWMatchesReference() {
        var opt = AdamW<Double>(count: 2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1)
        var p: [Double] = [1.0, -2.0]
        let g1: [Double] = [0.5, -1.0], g2: [Double] = [0.1, 0.3]
        opt.update(parameters: &p, gradients: g1, lr: 0.01)
        opt.update(parameters: &p, gradients: g2, lr: 0.01)
        var q: [Double] = [1.0, -2.0]
        var m = [0.0, 0.0], v = [0.0, 0.0]
        for (t, g) in [g1, g2].enumerated() {
            for i in 0..<2 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i]
                let mh = m[i] / (1 - pow(0.9, Double(t + 1))), vh = v[i] / (1 - pow(0.99, Double(t + 1)))
                q[i] -= 0.01 * (mh / (vh.squareRoot() + 1e-8) + 0.1 * q[i])
            }
        }
        XCTAssertEqual(p[0], q[0], accuracy: 1e-14)
        XCTAssertEqual(p[1], q[1], accuracy: 1e-14)
    }

    func testAdamWMinimisesQuadratic() {
        var opt = AdamW<Float>(count: 3)
        var p: [Float] = [3, -2, 1]
        for _ in 0..<2000 { opt.update(parameters: &p, gradients: p.map { 2 * $0 }, lr: 0.01) }
        XCTAssertLessThan(p.map { abs($0) }.max()!, 1e-2)
    }

    func testEMAWarmupAndConvergence() {
        var ema = ExponentialMovingAverage<Double>(decay: 0.9, initial: [0])
        ema.update(with: [1])
        XCTAssertEqual(ema.weights[0], 0.9, accuracy: 1e-12) // d_0 = min(0.9, 1/10) = 0.1
        for _ in 0..<500 { ema.update(with: [1]) }
        XCTAssertEqual(ema.weights[0], 1, accuracy: 1e-9)
    }
}
