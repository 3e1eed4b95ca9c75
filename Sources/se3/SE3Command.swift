import ArgumentParser
import SE3Models
import SE3Train

@main
struct SE3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "se3",
        abstract: "SE(3)-equivariant graph networks on 3D atomic structures: prepare data, train, evaluate, benchmark.",
        discussion: "Architectures (model.name in a config):\n"
            + Architecture.allCases.map { "  \($0.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0))\($0.configType.summary)" }
                .joined(separator: "\n"),
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, CheckEquivarianceCommand.self, PlotCommand.self, BenchCommand.self, PrepareCommand.self, InspectCommand.self,
                      MPISelfTestCommand.self])
}
