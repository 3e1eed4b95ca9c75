import SE3Core

/// Balanced ranks (`data.balance`): molecules differ in size, so with equal structure counts the
/// rank with the largest batch sets every step's pace. With `loads`, every rank computes every
/// rank's unbalanced batches (pure functions of plan, seed, epoch and sizes) and splits each
/// step's global batch, their union, by load with `BalancedPartition` (LPT). Every rank gets the
/// same split without communication. Each structure of a global batch goes to exactly one rank,
/// so an epoch uses the same structures as without balancing, each once; only which rank
/// computes a structure changes. Ranks may then hold different numbers of structures in a step
/// (at least one each when the global batch has at least as many structures as ranks); the
/// gradient synchronisation weighs them exactly.
extension EpochSampler {
    /// Every rank's unbalanced batches of `epoch`, by step: `[step][rank]`.
    public func globalBatches(epoch: Int) -> [[[GlobalIndex]]] {
        let byRank = (0..<plan.worldSize).map { unbalancedBatches(epoch: epoch, rank: $0) }
        return (0..<stepsPerEpoch).map { s in byRank.map { s < $0.count ? $0[s] : [] } }
    }

    /// Every step of `epoch` split over the ranks by `loads`: `[step][rank]`. A rank's share keeps
    /// the global batch's order (rank 0's unbalanced batch first).
    public func balancedBatches(epoch: Int) -> [[[GlobalIndex]]] {
        require(loads != nil, "EpochSampler.balancedBatches: the sampler has no loads")
        let loads = self.loads!
        return globalBatches(epoch: epoch).map { step in
            let items = step.flatMap { $0 }
            return BalancedPartition.split(items.map { loads[$0] }, parts: plan.worldSize).map { $0.map { items[$0] } }
        }
    }

    /// Each rank's total load per step of `epoch` under `by` (`[step][rank]`), for the batches this
    /// sampler trains on (balanced when it has loads).
    public func rankLoads(epoch: Int, by: StructureLoads) -> [[Int]] {
        let steps = loads == nil ? globalBatches(epoch: epoch) : balancedBatches(epoch: epoch)
        return steps.map { step in step.map { batch in batch.reduce(0) { $0 + by[$1] } } }
    }
}
