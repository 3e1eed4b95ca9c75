import Foundation
import ArgumentParser
import SE3Layers
import SE3Math
import SE3Tensor
import SE3Train

/// `se3 bench tensor-product`: throughput of one TFN edge convolution in Float32 (seed eq. 5–7).
///
/// Setup (fixed by `--seed`): `N` nodes, `E` random edges `s → d` with vectors of random
/// direction and length uniform in `[0.5, 5)` Å, in reverse pairs (`d → s` with `−v`) unless
/// `--unpaired`; SH up to `lmax`; an 8-function Bessel basis
/// (cutoff 5 Å) with the p = 6 polynomial envelope; node features `[N, (lmax+1)², C]`
/// (N(0,1), a tape variable so ∂x is computed as inside a network). The timed op is the whole
/// `EdgeConvolution` with `lmaxIn = lmaxFilter = lmaxOut = lmax`: the radial MLP
/// (8 → 64 → 64 → P·C, channel-wise path weights, once per pair: the `RadialMLP` training runs)
/// plus the fused gather–CG product–scatter kernel; forward+backward adds `Tape.backward` (∂x, ∂MLP weights; SH and embedding
/// are constants). Each mode runs once to warm up, then `--repeats` times, timed with a
/// monotonic clock (`ContinuousClock`; `--cpu-time` uses the thread CPU clock instead, useful
/// on a shared machine); rates use the mean time.
///
/// FLOP convention (nominal, for the CG product only): forward = `3 · nnz · C · E`, where
/// `nnz` is the number of non-zero CG entries of the plan (per entry and channel: C·Y, ·x,
/// accumulate); backward counts as 2× forward, so forward+backward = `9 · nnz · C · E`.
/// `kernel_*` fields time the `TensorProduct.convolution` op alone (weights precomputed),
/// i.e. the hot spot without the MLP's GEMMs.
///
/// Output: one JSON line
/// `{"bench":"tensor-product","lmax":…,"channels":…,"edges":…,"nodes":…,"paths":…,
///   "forward_edges_per_s":…,"forward_backward_edges_per_s":…,"forward_gflops":…,
///   "forward_backward_gflops":…,"threads":…, "nonzero_cg":…, "kernel_forward_gflops":…,
///   "kernel_forward_backward_gflops":…}`.
struct BenchTensorProduct: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor-product",
        abstract: "Time the TFN edge convolution (radial MLP + CG tensor product + scatter), Float32.")

    @Option(help: "Largest degree of inputs, filter and outputs.") var lmax: Int = 2
    @Option(help: "Channels per degree.") var channels: Int = 32
    @Option(help: "Number of edges.") var edges: Int = 20000
    @Option(help: "Number of nodes (default: edges / 20).") var nodes: Int?
    @Option(help: "Timed repetitions per mode.") var repeats: Int = 5
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Threads for OpenBLAS and for the CG kernel (TensorProduct.threads).") var threads: Int = 1
    @Flag(help: "Keep glibc's default allocator settings. By default, as in training, large blocks come from the heap and it is never trimmed (ProcessMemory.retainFreedMemory), so the per-edge tensors of each step reuse mapped pages instead of page-faulting fresh zero pages.")
    var defaultMalloc = false
    @Flag(help: "Independent random edges, one radial evaluation each (default: edges in reverse pairs a → b, b → a as in a radius graph, one radial evaluation per pair as in training).")
    var unpaired = false
    @Flag(help: "Time with the calling thread's CPU clock instead of the monotonic wall clock (for loaded machines; only meaningful with --threads 1).")
    var cpuTime = false

    func validate() throws {
        guard (0...6).contains(lmax) else { throw ValidationError("--lmax must be in 0...6, got \(lmax)") }
        guard channels >= 1 else { throw ValidationError("--channels must be >= 1, got \(channels)") }
        guard edges >= 1 else { throw ValidationError("--edges must be >= 1, got \(edges)") }
        if let nodes, nodes < 1 { throw ValidationError("--nodes must be >= 1, got \(nodes)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1, got \(repeats)") }
        guard threads >= 1 else { throw ValidationError("--threads must be >= 1, got \(threads)") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        if !defaultMalloc { ProcessMemory.retainFreedMemory() }
        TensorProduct.threads = threads
        let N = nodes ?? max(1, edges / 20)
        let E = edges, C = channels, M = (lmax + 1) * (lmax + 1)
        var rng = SeededGenerator(seed: seed)
        let store = ParameterStore<Float>()
        let basis = try BesselBasis(count: 8, cutoff: 5)
        let envelope = try PolynomialEnvelope(p: 6)
        let conv = try EdgeConvolution(store: store, name: "bench", lmaxIn: lmax, lmaxFilter: lmax, lmaxOut: lmax,
                                       channels: C, radialInputs: basis.count, radialHidden: 64,
                                       averageNeighbors: Double(E) / Double(N), rng: &rng)
        // random edges; by default in reverse pairs (a → b, b → a) as in a radius graph, so the
        // radial MLP runs once per pair as in training
        var vectors = [SIMD3<Double>]()
        var src = [Int32](), dst = [Int32](), rows = [Int32](), pairVectors = [SIMD3<Double>]()
        vectors.reserveCapacity(E)
        while vectors.count < E {
            var d = SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian())
            let n = (d * d).sum().squareRoot()
            d = n > 0 ? d / n : SIMD3(0, 0, 1)
            let v = d * Double.random(in: 0.5..<5, using: &rng)
            let a = Int32(Int.random(in: 0..<N, using: &rng)), b = Int32(Int.random(in: 0..<N, using: &rng))
            let row = Int32(pairVectors.count)
            pairVectors.append(v)
            vectors.append(v); src.append(a); dst.append(b); rows.append(row)
            if !unpaired && vectors.count < E { vectors.append(-v); src.append(b); dst.append(a); rows.append(row) }
        }
        let lengths = pairVectors.map { ($0 * $0).sum().squareRoot() }
        let sh: Tensor<Float> = {
            let tape = Tape<Float>()
            let flat = vectors.flatMap { [Float($0.x), Float($0.y), Float($0.z)] }
            return EdgeGeometry.sphericalHarmonics(tape.constant(Tensor(shape: [E, 3], scalars: flat)), exact: vectors,
                                                   lmax: lmax).value
        }()
        let embedding = basis.table(lengths: lengths, envelope: envelope, as: Float.self).values
        let x = Tensor<Float>.randomNormal(shape: [N, M, C], using: &rng)
        let plan = conv.plan
        let scale = Float(1 / conv.averageNeighbors.squareRoot())

        func convolution(backward: Bool) {
            let tape = Tape<Float>(store: store)
            let xv = tape.variable(x)
            let out = conv(SphericalFeatures(xv, lmax: lmax, channels: C), sh: tape.constant(sh),
                           radialEmbedding: tape.constant(embedding), sources: src, destinations: dst, weightRows: rows)
            if backward { tape.backward(out.variable, seed: Tensor(repeating: 1, shape: out.variable.shape)) }
        }
        // kernel alone: radial weights precomputed once
        let weights: Tensor<Float> = {
            let tape = Tape<Float>(store: store)
            return conv.radial(tape.constant(embedding)).value
        }()
        func kernel(backward: Bool) {
            let tape = Tape<Float>()
            let xv = tape.variable(x)
            let out = TensorProduct.convolution(plan, input: xv, sources: src, destinations: dst, nodeCount: N,
                                                filter: tape.constant(sh), weights: tape.variable(weights),
                                                weightRows: rows, scale: scale)
            if backward { tape.backward(out, seed: Tensor(repeating: 1, shape: out.shape)) }
        }
        func time(_ body: () -> Void) -> Double {
            body()   // warm-up
            if cpuTime {
                var a = timespec(), b = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
                for _ in 0..<repeats { body() }
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
                return (Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) * 1e-9) / Double(repeats)
            }
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<repeats { body() }
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            return seconds / Double(repeats)
        }
        let tForward = time { convolution(backward: false) }
        let tBoth = time { convolution(backward: true) }
        let tKernelForward = time { kernel(backward: false) }
        let tKernelBoth = time { kernel(backward: true) }
        store.zeroGrads()

        let forwardFlops = Double(plan.nominalForwardFlopsPerEdge) * Double(E)
        func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
        let fields: [(String, String)] = [
            ("bench", "\"tensor-product\""), ("lmax", "\(lmax)"), ("channels", "\(C)"), ("edges", "\(E)"),
            ("nodes", "\(N)"), ("paths", "\(plan.pathCount)"),
            ("forward_edges_per_s", fmt(Double(E) / tForward)),
            ("forward_backward_edges_per_s", fmt(Double(E) / tBoth)),
            ("forward_gflops", fmt(forwardFlops / tForward / 1e9)),
            ("forward_backward_gflops", fmt(3 * forwardFlops / tBoth / 1e9)),
            ("threads", "\(TensorProduct.threads)"),
            ("nonzero_cg", "\(plan.nonZeroCount)"),
            ("kernel_forward_gflops", fmt(forwardFlops / tKernelForward / 1e9)),
            ("kernel_forward_backward_gflops", fmt(3 * forwardFlops / tKernelBoth / 1e9)),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }
}
