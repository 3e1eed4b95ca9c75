import ArgumentParser

/// `se3 bench …`: benchmarks. A command group whose default subcommand is the training benchmark
/// (`se3 bench --config FILE [--steps N]` ≡ `se3 bench train …`). Subcommands: `train`, `tensor-product`,
/// `escn-layer`, `neighbor-list`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (throughput of kernels and training steps).",
        subcommands: [BenchTrainCommand.self, BenchTensorProduct.self, BenchESCNLayer.self, BenchNeighborList.self],
        defaultSubcommand: BenchTrainCommand.self)
}
