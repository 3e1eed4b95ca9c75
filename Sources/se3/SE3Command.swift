import ArgumentParser
import SE3Train

@main
struct SE3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "se3",
        abstract: "SE(3)-equivariant graph networks on 3D atomic structures (Tensor Field Networks): prepare data, train, evaluate, benchmark.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, BenchCommand.self, PrepareCommand.self, InspectCommand.self,
                      MPISelfTestCommand.self])
}
