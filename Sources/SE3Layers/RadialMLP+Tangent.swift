import SE3Core
import SE3Tensor

extension RadialMLP {
    /// The forward-mode rule of the fused MLP: `ẏ = J(x) ẋ` recorded with differentiable ops, so
    /// a later backward pass reaches the weights through the tangent (reverse over forward):
    ///
    ///     z_i = h_i W_i / √fan_i (+ b_i),   ż_i = ḣ_i W_i / √fan_i,   ḣ_{i+1} = k act'(z_i) ⊙ ż_i,   ẏ = ḣ_L W_L / √fan_L
    ///
    /// The primal pre-activations `z_i` are recomputed with tape ops (the fused op keeps none on
    /// the tape). `act' ` is `siluDerivative` (differentiable) or ReLU's step (a constant). The
    /// layer norm has no forward rule yet (TFN and eSCN use none); it stops with a message.
    func tangent<T>(_ x: Variable<T>, _ dx: Variable<T>, throughLast: Bool) -> Variable<T> {
        require(!layerNorm, "RadialMLP: forward mode (conservative forces) is not implemented with layer norms")
        let tape = x.tape
        let k = T(activation == .silu ? ActivationNormalization.silu : ActivationNormalization.relu)
        var h = x, dh = dx
        for i in 0..<hiddenLayers {
            let w = tape.parameter(weights[i])
            let alpha = 1 / T(weights[i].shape[0]).squareRoot()
            var z = matmul(h, w) * alpha
            if !biases.isEmpty { z = addRowVector(z, tape.parameter(biases[i])) }
            let dz = matmul(dh, w) * alpha
            switch activation {
            case .silu:
                dh = multiply(dz, siluDerivative(z, scale: k))
                h = silu(z, scale: k)
            case .relu:
                dh = multiply(dz, tape.constant(z.value.map { $0 > 0 ? k : 0 }))
                h = relu(z) * k
            }
        }
        guard throughLast else { return dh }
        return matmul(dh, tape.parameter(lastWeight)) * (1 / T(lastWeight.shape[0]).squareRoot())
    }
}
