// swift-tools-version:6.0
import PackageDescription
import Foundation

/// Hot numeric loops need `-Ounchecked`; cross-module optimization lets generic
/// kernels (Float for training, Double for tests) specialize across modules. On x86-64, when the
/// building machine has AVX2 and FMA (`/proc/cpuinfo`), the release build targets them
/// (`haswell`: Intel since 2013, AMD since Zen 1) so that element-wise loops vectorise 8 floats
/// wide; otherwise it builds for the x86-64 baseline. `SE3_TARGET_CPU=<cpu>` picks a CPU
/// (`SE3_TARGET_CPU=none`: the baseline), e.g. to build on one machine for another.
let targetCPU: [String] = {
    #if arch(x86_64)
    func hostHasHaswellFeatures() -> Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(line.split(separator: " ").map(String.init))
        return ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"].allSatisfy(flags.contains)
    }
    let cpu = Context.environment["SE3_TARGET_CPU"] ?? (hostHasHaswellFeatures() ? "haswell" : "none")
    return cpu == "none" ? [] : ["-target-cpu", cpu]
    #else
    return []
    #endif
}()
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-cross-module-optimization"] + targetCPU, .when(configuration: .release)),
]

let package = Package(
    name: "se3",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "se3", targets: ["se3"]),
        .library(name: "SE3", targets: ["SE3Core", "SE3Config", "SE3Math", "SE3Tensor", "SE3Layers", "SE3Models",
                                        "SE3HDF5", "SE3Data", "SE3Distributed", "SE3Train"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // C shims: a module map and a header each, nothing else.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // the one contract check (`require`), below everything
        .target(name: "SE3Core", dependencies: [], swiftSettings: optimized),
        // config plumbing shared by every config type: ConfigError, closed choices, unknown keys
        .target(name: "SE3Config", dependencies: [], swiftSettings: optimized),
        // math (irreps, SH, CG, Wigner-D; no tensors)
        .target(name: "SE3Math", dependencies: ["SE3Core"], swiftSettings: optimized),
        // tensors and autodiff
        .target(name: "SE3Tensor", dependencies: ["SE3Core", "SE3Math", "CBLAS", .product(name: "Numerics", package: "swift-numerics")],
                swiftSettings: optimized),
        // equivariant layers
        .target(name: "SE3Layers", dependencies: ["SE3Core", "SE3Math", "SE3Tensor"], swiftSettings: optimized),
        // models
        .target(name: "SE3Models", dependencies: ["SE3Core", "SE3Config", "SE3Math", "SE3Tensor", "SE3Layers"], swiftSettings: optimized),
        // data: HDF5 wrapper, datasets, graphs
        .target(name: "SE3HDF5", dependencies: ["CHDF5"], swiftSettings: optimized),
        .target(name: "SE3Data", dependencies: ["SE3Core", "SE3HDF5"], swiftSettings: optimized),
        // distributed: MPI behind a Communicator protocol
        .target(name: "SE3Distributed", dependencies: ["CMPI"], swiftSettings: optimized),
        // training uses them all
        .target(name: "SE3Train", dependencies: ["SE3Core", "SE3Config", "SE3Models", "SE3Data", "SE3Distributed", "SE3HDF5", "Yams"],
                swiftSettings: optimized),
        // the CLI is a thin leaf
        .executableTarget(name: "se3", dependencies: [
            "SE3Train", "SE3Config", "SE3Data", "SE3Distributed", "SE3Models", "SE3Layers", "SE3Math", "SE3Tensor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: optimized),

        .testTarget(name: "SE3ConfigTests", dependencies: ["SE3Config"]),
        .testTarget(name: "SE3MathTests", dependencies: ["SE3Math"]),
        .testTarget(name: "SE3TensorTests", dependencies: ["SE3Tensor"]),
        .testTarget(name: "SE3LayersTests", dependencies: ["SE3Layers", "SE3Math", "SE3Tensor"]),
        .testTarget(name: "SE3ModelsTests", dependencies: ["SE3Models", "SE3Config", "SE3Layers", "SE3Math", "SE3Tensor"]),
        .testTarget(name: "SE3DataTests", dependencies: ["SE3Data", "SE3HDF5", "SE3Math"], exclude: ["Fixtures"]),
        // Process spawning and binary lookup shared by the tests that drive the `se3` executable.
        .target(name: "SE3TestSupport", path: "Tests/SE3TestSupport"),
        .testTarget(name: "SE3DistributedTests", dependencies: ["SE3Distributed", "SE3TestSupport"]),
        .testTarget(name: "SE3TrainTests", dependencies: ["SE3Train", "SE3Config", "SE3Models"]),
        .testTarget(name: "se3CLITests", dependencies: ["SE3TestSupport", "SE3Data"]),
    ],
    swiftLanguageModes: [.v5]
)

/// libFuzzer targets (`Fuzz/<name>/main.swift`), declared only with `SE3_FUZZ=1` so that the
/// normal `swift build` / `swift test` never see them: `launch/fuzz.sh` builds them in
/// `.build-fuzz` with `-sanitize=fuzzer,address -parse-as-library` (libFuzzer provides `main`).
if Context.environment["SE3_FUZZ"] == "1" {
    for (name, deps) in [("FuzzXYZ", ["SE3Core", "SE3Data"]), ("FuzzConfig", ["SE3Core", "SE3Config", "SE3Train"]),
                         ("FuzzShard", ["SE3Core", "SE3Data", "SE3HDF5"])] {
        package.targets.append(.executableTarget(name: name, dependencies: deps.map { .target(name: $0) }, path: "Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
