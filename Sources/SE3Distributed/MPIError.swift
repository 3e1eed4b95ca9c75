import CMPI

/// A failed MPI call: the operation, MPI's error code and MPI's own text for it
/// (from `MPI_Error_string`). MPI errors are returned, not fatal, because
/// ``MPICommunicator`` installs `MPI_ERRORS_RETURN` on `MPI_COMM_WORLD`.
public struct MPIError: Error, Equatable, CustomStringConvertible {
    /// The MPI function that failed, e.g. `"MPI_Allreduce"`.
    public let operation: String
    /// The MPI error code it returned.
    public let code: Int32
    /// `MPI_Error_string(code)`.
    public let message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// Builds the error for `code`, asking MPI for its text.
    public init(operation: String, code: Int32) {
        self.init(operation: operation, code: code, message: MPIError.errorString(code))
    }

    public var description: String { "\(operation) failed (MPI error \(code)): \(message)" }

    /// `MPI_Error_string(code)`, or a generic text if MPI cannot describe it.
    static func errorString(_ code: Int32) -> String {
        let capacity = Int(se3_mpi_max_error_string()) + 1
        var buffer = [CChar](repeating: 0, count: capacity)
        var length: Int32 = 0
        let rc = buffer.withUnsafeMutableBufferPointer { MPI_Error_string(code, $0.baseAddress, &length) }
        guard rc == se3_mpi_success(), length > 0 else { return "unknown MPI error" }
        let bytes = buffer.prefix(min(Int(length), capacity - 1)).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Throws an `MPIError` unless `code == MPI_SUCCESS`.
    static func check(_ code: Int32, _ operation: String) throws {
        if code != se3_mpi_success() { throw MPIError(operation: operation, code: code) }
    }
}
