import SE3Math
import SE3Tensor

/// The atom-type embedding `h_a = E[z_a] ∈ ℝ^C` (one-hot(z_a) · E), the `l = 0` input of every
/// architecture. `E` `[elements, C]` is `N(0, std²)` at initialisation (`std` 1 unless a model
/// says otherwise); registered as `"<name>.weight"` (`embedding.weight`).
public struct AtomEmbedding: Sendable {
    public let elements: [Int]
    public let channels: Int
    public let weight: Parameter
    /// `rowOfElement[Z]` = row of `E` for atomic number `Z`, or −1.
    let rowOfElement: [Int32]

    public init<T>(store: ParameterStore<T>, name: String = "embedding", elements: [Int], channels: Int, std: Double = 1,
                   rng: inout SeededGenerator) {
        self.elements = elements
        self.channels = channels
        var index = [Int32](repeating: -1, count: 119)
        for (i, z) in elements.enumerated() where (0..<119).contains(z) { index[z] = Int32(i) }
        rowOfElement = index
        weight = store.register("\(name).weight", shape: [elements.count, channels], initializer: .normal(std: std), rng: &rng)
    }

    /// The embedding row of every atom; throws `ModelError.unknownElement` for an element outside
    /// `elements`.
    public func rows(_ graph: AtomGraph) throws -> [Int32] {
        var rows = [Int32](repeating: 0, count: graph.atomCount)
        for (a, z) in graph.atomicNumbers.enumerated() {
            let r = (z >= 0 && Int(z) < rowOfElement.count) ? rowOfElement[Int(z)] : -1
            guard r >= 0 else { throw ModelError.unknownElement(atomicNumber: Int(z), atom: a, known: elements) }
            rows[a] = r
        }
        return rows
    }

    /// `[A, C]`.
    public func callAsFunction<T>(_ graph: AtomGraph, tape: Tape<T>) throws -> Variable<T> {
        gatherRows(tape.parameter(weight), indices: try rows(graph))
    }
}
