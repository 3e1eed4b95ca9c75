import ArgumentParser
import SE3Train

@main
struct SE3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "se3",
        abstract: "SE(3)-equivariant graph networks (TFN, SE(3)-Transformer, eSCN): train, evaluate, benchmark.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, BenchCommand.self, PrepareCommand.self, InspectCommand.self,
                      MPISelfTestCommand.self])
}
