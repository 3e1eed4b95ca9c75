import XCTest
import SE3Tensor

/// The vectorised Float SiLU and its derivative against Double references, over the whole range
/// (tails, the clamp, lengths that are not multiples of 16).
final class VectorMathTests: XCTestCase {
    func testFloatSiluMatchesDouble() {
        var xs: [Float] = stride(from: -120.0, through: 120.0, by: 0.0137).map { Float($0) }
        xs += [0, -0, .leastNormalMagnitude, 1e-30, -1e-30, 87.5, -87.5, 88.9, -89.2]
        let k: Float = 1.679
        var y = [Float](repeating: 0, count: xs.count), g = [Float](repeating: 1, count: xs.count)
        xs.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { VectorMath.silu(px.baseAddress!, count: xs.count, scale: k, into: $0.baseAddress!) }
            g.withUnsafeMutableBufferPointer {
                VectorMath.siluGradient(px.baseAddress!, count: xs.count, scale: k, multiplying: $0.baseAddress!)
            }
        }
        var worstValue = 0.0, worstGradient = 0.0
        for (i, xf) in xs.enumerated() {
            let x = Double(xf), s = 1 / (1 + Foundation.exp(-x))
            let value = Double(k) * x * s, gradient = Double(k) * s * (1 + x * (1 - s))
            XCTAssertTrue(y[i].isFinite && g[i].isFinite, "\(x)")
            worstValue = max(worstValue, abs(Double(y[i]) - value) / max(1e-30, abs(value)))
            worstGradient = max(worstGradient, abs(Double(g[i]) - gradient) / max(1, abs(gradient)))
        }
        XCTAssertLessThan(worstValue, 2e-6)
        XCTAssertLessThan(worstGradient, 2e-6)
    }
}
