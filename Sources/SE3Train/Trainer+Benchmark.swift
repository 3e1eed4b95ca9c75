import Foundation
import SE3Distributed

/// Result of `se3 bench`: training throughput and memory over all ranks.
public struct BenchmarkResult: Sendable {
    /// Structures trained per second, summed over ranks (global batch / wall time per step).
    public var moleculesPerSecond: Double
    /// Peak resident set size, maximum over ranks, MB.
    public var peakMemoryMB: Double
    public var steps: Int
    public var ranks: Int
    public var seconds: Double
    public var molecules: Double
    /// Mean atoms and directed edges per timed step and rank (the work the figure is for).
    public var atomsPerStep: Double
    public var edgesPerStep: Double
    /// `data.balance`, and the per-step max/mean load over ranks of the timed steps (`LoadRatio`).
    public var balance = DataConfig.Balance.none
    public var atomLoadRatio = LoadRatio(perRank: [])
    public var edgeLoadRatio = LoadRatio(perRank: [])

    public var jsonObject: [String: Any] {
        ["molecules_per_second": moleculesPerSecond, "peak_memory_mb": peakMemoryMB, "steps": steps,
         "ranks": ranks, "seconds": seconds, "molecules": molecules, "atoms_per_step": atomsPerStep,
         "edges_per_step": edgesPerStep, "balance": balance.rawValue,
         "load_ratio_atoms": atomLoadRatio.mean, "load_ratio_atoms_max": atomLoadRatio.max,
         "load_ratio_edges": edgeLoadRatio.mean, "load_ratio_edges_max": edgeLoadRatio.max]
    }
}

extension Trainer {
    /// Runs `warmup` untimed steps, then `steps` timed training steps (wrapping over epochs),
    /// and reports global molecules/s (Σ_r structures / max_r wall time) and the peak RSS
    /// (`getrusage` max over ranks), and how evenly the steps' atoms and edges were spread over the
    /// ranks (`LoadRatio`, from one allgather of every rank's per-step counts). Nothing is written.
    public func benchmark(steps: Int, warmup: Int = 1) throws -> BenchmarkResult {
        var e = 0
        var plan = sampler.batches(epoch: e)
        var index = 0, atoms = 0, edges = 0
        var stepLoads: [(atoms: Double, edges: Double)] = []
        func next() throws -> Double {
            if index >= plan.count { e += 1; plan = sampler.batches(epoch: e); index = 0 }
            let batch = try self.batch(epoch: e, index: index, plan: plan)
            index += 1
            let a = batch.reduce(0) { $0 + $1.atomicNumbers.count }, d = batch.reduce(0) { $0 + $1.source.count }
            atoms += a; edges += d
            stepLoads.append((Double(a), Double(d)))
            return try trainStep(batch).totals.count
        }
        for _ in 0..<warmup { _ = try next() }
        try comm.barrier()
        atoms = 0; edges = 0; stepLoads = []
        let start = Date()
        var molecules = 0.0
        for _ in 0..<steps { molecules += try next() }
        let elapsed = try comm.allreduceMax(Date().timeIntervalSince(start))
        let peak = try comm.allreduceMax(ProcessMemory.peakResidentMegabytes())
        let loads = try comm.allgather(stepLoads.map(\.atoms) + stepLoads.map(\.edges))
        var result = BenchmarkResult(moleculesPerSecond: elapsed > 0 ? molecules / elapsed : 0, peakMemoryMB: peak,
                               steps: steps, ranks: comm.size, seconds: elapsed, molecules: molecules,
                               atomsPerStep: Double(atoms) / Double(max(1, steps)), edgesPerStep: Double(edges) / Double(max(1, steps)))
        result.balance = config.data.balance
        result.atomLoadRatio = LoadRatio(perRank: loads.map { Array($0.prefix(steps)) })
        result.edgeLoadRatio = LoadRatio(perRank: loads.map { Array($0.suffix(steps)) })
        return result
    }
}
