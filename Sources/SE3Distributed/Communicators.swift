import Foundation

/// Choosing a communicator for this process, and cleaning the environment for children.
///
/// Launch detection (``isLaunchedByMPI(environment:)``): the process is an MPI rank iff one of
/// `OMPI_COMM_WORLD_SIZE`, `OMPI_COMM_WORLD_RANK` (set by OpenMPI's `mpirun`) or
/// `PMIX_RANK` (set by PMIx launchers, including `srun --mpi=pmix`) is present.
/// `SE3_DISTRIBUTED` overrides it: `auto` (default), `single` (never touch MPI),
/// `mpi` (always initialize MPI, e.g. for an MPI singleton).
public enum Communicators {
    /// Environment variables whose presence means "launched as an MPI rank".
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"]
    /// Prefixes of the launcher's per-process variables, removed by ``childEnvironment(from:)``.
    public static let launcherPrefixes = ["OMPI_", "PMIX_", "ORTE_", "OPAL_"]
    /// User settings with a launcher prefix that ``childEnvironment(from:)`` keeps
    /// (a nested `mpirun` started as root needs them).
    public static let preservedVariables: Set<String> = ["OMPI_ALLOW_RUN_AS_ROOT", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"]
    /// The override variable: `auto` | `single` | `mpi`.
    public static let modeVariable = "SE3_DISTRIBUTED"

    /// Whether `environment` says this process was started by an MPI launcher.
    public static func isLaunchedByMPI(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        launcherVariables.contains { environment[$0] != nil }
    }

    /// MPI under a launcher (or `SE3_DISTRIBUTED=mpi`), ``SingleProcessCommunicator`` otherwise;
    /// a plain run never touches MPI. Throws ``CommunicatorError/invalidEnvironment(variable:value:expected:)``
    /// for a bad `SE3_DISTRIBUTED`, or the MPI initialization error.
    public static func makeAutomatic(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> Communicator
    {
        switch environment[modeVariable]?.lowercased() ?? "auto" {
        case "", "auto":
            return isLaunchedByMPI(environment: environment) ? try MPICommunicator.world() : SingleProcessCommunicator()
        case "single":
            return SingleProcessCommunicator()
        case "mpi":
            return try MPICommunicator.world()
        default:
            throw CommunicatorError.invalidEnvironment(variable: modeVariable, value: environment[modeVariable] ?? "",
                                                       expected: "auto, single or mpi")
        }
    }

    /// As ``makeAutomatic(environment:)``, but a failure is fatal: it prints
    /// `se3: cannot set up the communicator: <error>` to stderr and exits with code 1
    /// (under `mpirun` that ends the whole job).
    public static func automatic() -> Communicator {
        do {
            return try makeAutomatic()
        } catch {
            StandardError.emit("se3: cannot set up the communicator: \(error)\n")
            exit(1)
        }
    }

    /// `environment` without the launcher's per-process variables (every name starting with
    /// `OMPI_`, `PMIX_`, `ORTE_`, `OPAL_`, except ``preservedVariables``), for a process that
    /// spawns `mpirun` (or another se3) itself: otherwise the child believes it is one of the
    /// parent's ranks.
    public static func childEnvironment(from environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String: String]
    {
        environment.filter { name, _ in
            preservedVariables.contains(name) || !launcherPrefixes.contains { name.hasPrefix($0) }
        }
    }
}
