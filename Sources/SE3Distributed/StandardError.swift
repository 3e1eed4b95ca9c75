#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to file descriptor 2 (safe right before `exit`/`MPI_Abort`).
enum StandardError {
    static func emit(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                write(2, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if n <= 0 { break }
            offset += n
        }
    }
}
