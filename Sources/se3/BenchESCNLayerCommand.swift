import Foundation
import ArgumentParser
import SE3Tensor
import SE3Train

/// `se3 bench escn-layer`: one eSCN message layer (SO(2) convolutions in the edge frame) against
/// the full Clebsch–Gordan `uvw` convolution of the same width, forward + backward, for a list of
/// degrees (`LayerScalingBenchmark` says exactly what is timed). One JSON line per degree on
/// stdout, `{"bench":"escn-layer","lmax":…,"so2_mmax2_ms":…,"so2_mmaxL_ms":…,"tp_ms":…|null,…}`,
/// then a summary line (graph size, threads, peak memory); and the same as a table on stderr.
struct BenchESCNLayer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escn-layer",
        abstract: "Time one eSCN layer against the full Clebsch–Gordan product for lmax 1…8 (Float32).")

    @Option(help: "Degrees to time, comma-separated (1...8).") var lmax: String = "1,2,3,4,5,6,7,8"
    @Option(help: "Sphere channels C (the TP's channels per degree).") var channels: Int = 32
    @Option(help: "Hidden channels of the SO(2) convolutions.") var hidden: Int = 64
    @Option(help: "Edge-embedding channels.") var edgeChannels: Int = 32
    @Option(help: "Dataset (HDF5 shard directory or file).") var data: String = "configs/data/qm9-small/train"
    @Option(help: "Molecules in the one graph (the first ones of the dataset; 32 is a training batch).") var molecules: Int = 32
    @Option(help: "Radius-graph cutoff in Å.") var cutoff: Double = 5
    @Option(help: "Timed repetitions per mode (after one warm-up).") var repeats: Int = 3
    @Option(help: "Skip the TP at larger degrees once one TP step took longer than this (seconds).") var tpMaxSeconds: Double = 60
    @Option(help: "OpenBLAS threads.") var threads: Int = 1
    @Option(help: "Random seed.") var seed: UInt64 = 1

    var degrees: [Int] { lmax.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let parts = lmax.split(separator: ",")
        guard !parts.isEmpty, degrees.count == parts.count, degrees.allSatisfy({ (1...8).contains($0) }) else {
            throw ValidationError("--lmax must be a comma-separated list of degrees in 1...8, got '\(lmax)'")
        }
        for (name, v) in [("--channels", channels), ("--hidden", hidden), ("--edge-channels", edgeChannels),
                          ("--molecules", molecules), ("--repeats", repeats), ("--threads", threads)] where v < 1 {
            throw ValidationError("\(name) must be >= 1, got \(v)")
        }
        guard cutoff > 0, cutoff.isFinite else { throw ValidationError("--cutoff must be a positive number of Å, got \(cutoff)") }
        guard tpMaxSeconds > 0 else { throw ValidationError("--tp-max-seconds must be > 0, got \(tpMaxSeconds)") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        ProcessMemory.retainFreedMemory()
        var bench = try LayerScalingBenchmark(dataPath: data, molecules: molecules, cutoff: cutoff)
        bench.channels = channels; bench.hidden = hidden; bench.edgeChannels = edgeChannels
        bench.repeats = repeats; bench.tpMaxSeconds = tpMaxSeconds
        func line(_ j: [String: Any]) -> String {
            String(decoding: (try? JSONSerialization.data(withJSONObject: j, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
        }
        func ms(_ v: Double?) -> String { v.map { String(format: "%10.2f", $0) } ?? String(repeating: " ", count: 6) + "skip" }
        var table = ["lmax  so2 mmax≤2 ms  so2 mmax=L ms      tp ms   tp paths   tp / so2(mmax=L)"]
        let rows = try bench.run(lmaxValues: degrees, seed: seed) { row in
            print(line(row.json))
            fflush(stdout)
            let ratio = row.tpMs.map { String(format: "%8.1fx", $0 / row.so2FullMs) } ?? ""
            table.append(String(format: "%4d  ", row.lmax) + ms(row.so2FixedMs) + "     " + ms(row.so2FullMs) + " "
                         + ms(row.tpMs) + String(format: "   %8d", row.tpPaths) + "   " + ratio)
        }
        print(line(["bench": "escn-layer-summary", "atoms": bench.graph.atomCount, "edges": bench.graph.edgeCount,
                    "molecules": bench.graph.graphCount, "channels": channels, "hidden": hidden, "edge_channels": edgeChannels,
                    "threads": threads, "repeats": repeats, "rows": rows.count,
                    "peak_memory_mb": ProcessMemory.peakResidentMegabytes()]))
        FileHandle.standardError.write(Data((["\(bench.graph.graphCount) molecules, \(bench.graph.atomCount) atoms, "
                                              + "\(bench.graph.edgeCount) edges, C = \(channels), hidden \(hidden), "
                                              + "\(threads) thread(s); forward + backward, mean of \(repeats)"]
                                             + table).joined(separator: "\n").utf8 + Array("\n".utf8)))
    }
}
