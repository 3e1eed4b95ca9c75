#if canImport(Glibc)
import Glibc
#endif
import SE3Core
import SE3Data
import SE3HDF5

/// libFuzzer target: the input bytes as an HDF5 dataset shard. They are written to a temporary
/// file, opened with `Dataset` (which validates the format and streams through the atoms) and
/// every structure is read. `DataError` and `HDF5Error` are the expected outcomes for bad
/// input. Seeds: Tests/Fixtures/fuzz/shard.
let path = "/tmp/se3-fuzz-shard-\(getpid()).h5"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let f = fopen(path, "wb") else { requirementFailure("cannot write \(path)") }
    require(fwrite(data, 1, size, f) == size, "short write to \(path)")
    fclose(f)
    defer { unlink(path) }
    do {
        let dataset = try Dataset(path: path)
        var start = 0
        while start < dataset.count {
            let end = min(dataset.count, start + 64)
            let structures = try dataset.read(start..<end)
            require(structures.count == end - start, "read returned \(structures.count) structures for \(start)..<\(end)")
            start = end
        }
    } catch is DataError {
    } catch is HDF5Error {
    } catch {
        requirementFailure("Dataset threw an unexpected error: \(error)")
    }
    return 0
}

/// SwiftPM links an executable target with `main` renamed to `FuzzShard_main` (so that tests could
/// link it); libFuzzer's own `main` is then never used, so this entry point runs its driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzShard_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
