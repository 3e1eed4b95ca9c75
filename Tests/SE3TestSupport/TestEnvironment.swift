import Foundation

/// Locating the built `se3` binary and `mpirun`, and the environment to run them in.
public enum TestEnvironment {
    struct Missing: Error, CustomStringConvertible { var description: String }

    /// The package root: the first ancestor of this file containing Package.swift.
    public static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    }()

    /// The `se3` executable, in this order: `$SE3_BINARY`; `se3` next to the running test bundle
    /// (built by the same `swift test`, debug or release, so never stale); `<root>/.build/release/se3`;
    /// the newest `<root>/.build*/release/se3`.
    public static func se3Binary() throws -> URL {
        let fm = FileManager.default
        func executable(_ url: URL) -> Bool { fm.isExecutableFile(atPath: url.path) }
        if let explicit = ProcessInfo.processInfo.environment["SE3_BINARY"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            guard executable(url) else { throw Missing(description: "SE3_BINARY=\(explicit) is not an executable file") }
            return url
        }
        var testDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // macOS runs tests from inside an .xctest bundle: climb out of it.
        while testDir.path.contains(".xctest") { testDir = testDir.deletingLastPathComponent() }
        let sibling = testDir.appendingPathComponent("se3")
        if executable(sibling) { return sibling }
        let preferred = packageRoot.appendingPathComponent(".build/release/se3")
        if executable(preferred) { return preferred }
        let candidates = ((try? fm.contentsOfDirectory(atPath: packageRoot.path)) ?? [])
            .filter { $0.hasPrefix(".build") }
            .map { packageRoot.appendingPathComponent($0).appendingPathComponent("release/se3") }
            .filter(executable)
        func modified(_ url: URL) -> Date {
            ((try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        if let newest = candidates.max(by: { modified($0) < modified($1) }) { return newest }
        throw Missing(description: "no se3 binary next to the tests or in .build/release: set SE3_BINARY or run `swift build` in \(packageRoot.path)")
    }

    /// `mpirun` from `$MPIRUN` or the PATH (plus /usr/bin).
    public static func mpirun() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["MPIRUN"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        let dirs = (env["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for dir in dirs {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing(description: "mpirun not found on PATH (install openmpi-bin: launch/install-deps.sh)")
    }

    /// This process's environment without launcher variables (the test itself may run under
    /// mpirun), plus what mpirun needs in a root container and single-threaded BLAS.
    public static func childEnvironment() -> [String: String] {
        // Strip the launcher's per-process variables (the test itself may run under mpirun).
        var env = ProcessInfo.processInfo.environment.filter { name, _ in
            !["OMPI_", "PMIX_", "ORTE_", "OPAL_"].contains { name.hasPrefix($0) }
        }
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        env["OPENBLAS_NUM_THREADS"] = "1"
        env.removeValue(forKey: "SE3_DISTRIBUTED")
        return env
    }

    /// Runs `mpirun -np <np> [--oversubscribe] -x OPENBLAS_NUM_THREADS=1 --bind-to none se3 <arguments>`.
    /// `exported`: extra environment variables for every rank (`mpirun -x K=V`).
    public static func runUnderMPI(np: Int, _ arguments: [String], timeout: Double = 60,
                                   exported: [String: String] = [:]) throws -> ProcessResult {
        let extra = exported.sorted { $0.key < $1.key }.flatMap { ["-x", "\($0.key)=\($0.value)"] }
        let mpiArguments = ["-np", "\(np)"] + (np > ProcessInfo.processInfo.activeProcessorCount ? ["--oversubscribe"] : []) + ["-x", "OPENBLAS_NUM_THREADS=1"] + extra + ["--bind-to", "none",
                            try se3Binary().path] + arguments
        return try ProcessRunner.run(try mpirun(), mpiArguments, environment: childEnvironment(), timeout: timeout,
                                     currentDirectory: packageRoot)
    }

    /// Runs `se3 <arguments>` directly (no launcher). `exported`: extra environment variables.
    public static func runPlain(_ arguments: [String], timeout: Double = 60,
                                exported: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(try se3Binary(), arguments, environment: childEnvironment().merging(exported) { $1 }, timeout: timeout,
                              currentDirectory: packageRoot)
    }
}
