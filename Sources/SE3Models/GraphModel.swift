import SE3Tensor

/// The one protocol every architecture (TFN, SE(3)-Transformer, eSCN) implements, so the trainer,
/// evaluation and benchmarks never know which model they run.
///
/// All parameters live in `store` (one contiguous buffer); `forward` records the computation on
/// `tape` so `tape.backward(loss)` accumulates gradients into `store.grads`. Edge vectors are
/// computed from `geometry` on the tape, so with `GraphGeometry(graph, tape:, differentiable: true)`
/// the gradient of any output with respect to positions and cells exists after `backward`.
public protocol GraphModel<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar
    /// The model's hyper-parameters.
    var config: ModelConfig { get }
    /// Parameters and gradients, one contiguous buffer each.
    var store: ParameterStore<Scalar> { get }
    /// The heads, in order.
    var outputs: [OutputSpec] { get }
    /// Predictions for every head, keyed by `OutputSpec.name` ([G, k] or [A, k], standardised units).
    /// Throws for input the model cannot handle (an element it has no embedding for, an invalid graph).
    func forward(_ graph: AtomGraph, geometry: GraphGeometry<Scalar>, tape: Tape<Scalar>) throws -> [String: Variable<Scalar>]
}

extension GraphModel {
    /// `forward` with the graph's geometry as constants (no position gradients; training on
    /// targets that need none).
    public func forward(_ graph: AtomGraph, tape: Tape<Scalar>) throws -> [String: Variable<Scalar>] {
        try forward(graph, geometry: GraphGeometry(graph, tape: tape), tape: tape)
    }
}
