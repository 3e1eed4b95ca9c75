import Foundation
import SE3Data
import SE3Distributed

/// Opening `se3 predict`'s input.
enum PredictionSources {
    /// A dataset for a directory or a file that starts with the HDF5 signature, else an
    /// extended-XYZ file (its frames counted on rank 0 and broadcast).
    static func open(_ path: String, comm: Communicator) throws -> PredictionSource {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DataError(file: path, field: "--input", "no such file or directory")
        }
        if isDir.boolValue || isHDF5(path) { return try DatasetPredictionSource(dataset: Dataset(path: path)) }
        var count = [0.0]
        if comm.isRoot { count[0] = Double(try XYZReader.countFrames(path: path)) }
        try comm.broadcast(&count, root: 0)
        return try XYZPredictionSource(path: path, count: Int(count[0]))
    }

    /// The file begins with the 8-byte HDF5 signature.
    static func isHDF5(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 8)) ?? Data()
        return head == Data([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])
    }
}
