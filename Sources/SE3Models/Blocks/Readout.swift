import SE3Config
import SE3Tensor

/// The graph readout shared by every architecture (`model.readout`): per-atom values `[A, k]` →
/// per-graph values `[G, k]`,
///
///     sum:   y_g = Σ_{a ∈ g} h_a          (extensive targets always use it)
///     mean:  y_g = (1/N_g) Σ_{a ∈ g} h_a  (0 for a graph without atoms)
///     max:   y_g = max_{a ∈ g} h_a        per component (0 for a graph without atoms)
///
/// `sum` and `mean` commute with rotations acting on `k` (they act on atoms only), so pooled
/// vectors and rank-2 tensors stay equivariant; `max` is only used on invariant features (see
/// `OutputHead`).
public enum Readout: String, ConfigChoice {
    case mean, sum, max

    public func pool<T>(_ perAtom: Variable<T>, graph: AtomGraph) -> Variable<T> {
        switch self {
        case .sum: return segmentSum(perAtom, segments: graph.atomGraph, count: graph.graphCount)
        case .mean: return segmentMean(perAtom, segments: graph.atomGraph, count: graph.graphCount)
        case .max: return segmentMax(perAtom, segments: graph.atomGraph, count: graph.graphCount)
        }
    }
}
