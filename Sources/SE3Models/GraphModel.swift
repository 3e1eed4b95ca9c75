import SE3Tensor

/// The one protocol every architecture (TFN, SE(3)-Transformer, eSCN) implements, so the trainer,
/// evaluation and benchmarks never know which model they run.
///
/// All parameters live in `store` (one contiguous buffer); `forward` records the computation on
/// `tape` so `tape.backward(loss)` accumulates gradients into `store.grads`.
public protocol GraphModel<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar
    /// The model's hyper-parameters.
    var config: ModelConfig { get }
    /// Parameters and gradients, one contiguous buffer each.
    var store: ParameterStore<Scalar> { get }
    /// The heads, in order.
    var outputs: [OutputSpec] { get }
    /// Predictions for every head, keyed by `OutputSpec.name` ([G, k] or [A, k], standardised units).
    /// Throws for input the model cannot handle (e.g. an element it has no embedding for).
    func forward(_ graph: AtomGraph, tape: Tape<Scalar>) throws -> [String: Variable<Scalar>]
}
