import ArgumentParser
import Foundation
import SE3Data

/// `se3 bench neighbor-list`: time of the cell-list radius graph (`NeighborList`) on a random
/// periodic cloud of `--atoms` atoms at `--density` atoms/Å³ (a cubic box), cutoff `--cutoff`.
/// Prints one JSON line: atoms, box, edges, the best and mean of `--repeats` timed runs
/// (after one warm-up) and edges per second of the best run.
struct BenchNeighborList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbor-list",
        abstract: "Time the periodic cell-list radius graph on a random cloud (one JSON line).")

    @Option(help: "Number of atoms.") var atoms: Int = 20_000
    @Option(help: "Atoms per Å³ (liquid water is about 0.1).") var density: Double = 0.0926
    @Option(help: "Cutoff in Å.") var cutoff: Double = 5
    @Option(help: "Timed repetitions.") var repeats: Int = 3
    @Option(help: "Random seed.") var seed: UInt64 = 7

    func validate() throws {
        guard atoms >= 1 else { throw ValidationError("--atoms must be >= 1, got \(atoms)") }
        guard density > 0, density.isFinite else { throw ValidationError("--density must be positive, got \(density)") }
        guard cutoff > 0, cutoff.isFinite else { throw ValidationError("--cutoff must be positive, got \(cutoff)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1, got \(repeats)") }
    }

    func run() throws {
        let box = Foundation.pow(Double(atoms) / density, 1.0 / 3.0)
        var g = SamplerGenerator(seed: seed)
        let positions = (0..<atoms).map { _ in SIMD3(g.nextUnit() * box, g.nextUnit() * box, g.nextUnit() * box) }
        let cell = [SIMD3<Double>(box, 0, 0), SIMD3<Double>(0, box, 0), SIMD3<Double>(0, 0, box)]
        let list = NeighborList(cutoff: cutoff)
        var edges = try list.edges(positions: positions, cell: cell, pbc: SIMD3(1, 1, 1)).count   // warm-up
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            let start = clock.now
            edges = try list.edges(positions: positions, cell: cell, pbc: SIMD3(1, 1, 1)).count
            let d = clock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        let best = times.min()!, mean = times.reduce(0, +) / Double(times.count)
        let line: [String: Any] = ["bench": "neighbor-list", "atoms": atoms, "box_angstrom": box, "cutoff": cutoff,
                                   "edges": edges, "best_seconds": best, "mean_seconds": mean,
                                   "edges_per_second": Double(edges) / best, "repeats": repeats]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
