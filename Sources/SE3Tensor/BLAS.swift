import CBLAS

/// Process-wide OpenBLAS settings. OpenBLAS reads `OPENBLAS_NUM_THREADS` at
/// start-up; `setThreads` overrides it at run time (e.g. one thread per MPI rank).
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses for GEMM (values < 1 are treated as 1).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }
}
