import ArgumentParser

/// `se3 bench …`: benchmarks. A command group; the training benchmark (`se3 bench --config
/// FILE`) will become its default subcommand. Subcommands: `tensor-product`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (throughput of kernels and training steps).",
        subcommands: [BenchTensorProduct.self])
}
