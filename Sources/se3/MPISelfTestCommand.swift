import ArgumentParser
import SE3Distributed
#if canImport(Glibc)
import Glibc
#endif

/// `se3 mpi-selftest` (hidden): checks every collective of the communicator this process
/// gets (MPI under `mpirun`, single-process otherwise) and prints one JSON line per rank.
/// Exit code 0 iff every check passed on every rank; with `--fail-rank R`, rank R throws
/// after the first collective and the job aborts non-zero with that rank's message.
struct MPISelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi-selftest",
        abstract: "Check the MPI collectives on every rank (one JSON line per rank).",
        shouldDisplay: false)

    @Option(name: .customLong("fail-rank"), help: "This rank throws an error after the first collective.")
    var failRank: Int?

    @Option(help: "Elements per test buffer.")
    var count: Int = 1000

    @Option(help: "Largest element count per MPI call (exercises bucketed transfers).")
    var bucket: Int?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1 (got \(count))") }
        if let failRank, failRank < 0 { throw ValidationError("--fail-rank must be ≥ 0 (got \(failRank))") }
        if let bucket, bucket < 1 { throw ValidationError("--bucket must be at least 1 (got \(bucket))") }
    }

    func run() throws {
        let comm = Communicators.automatic()
        if let bucket, let mpi = comm as? MPICommunicator { mpi.maxElementsPerCall = bucket }
        let report = runRankGuarded(comm) {
            try DistributedSelfTest(comm: comm, count: count, failRank: failRank).run()
        }
        print(report.jsonLine)
        fflush(stdout)
        if !report.ok { throw ExitCode(1) }
    }
}
