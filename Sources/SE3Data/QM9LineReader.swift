#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file line by line through C stdio (`getline`), holding one line in memory.
final class QM9LineReader {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "r") else {
            throw DataError(file: path, field: "file", "cannot open: \(String(cString: strerror(errno)))")
        }
        file = f
    }

    deinit {
        if let f = file { fclose(f) }
        free(buffer)
    }

    /// The next line without its line terminator (`\n` or `\r\n`), valid until the next call; nil at end of file.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        guard let f = file else { return nil }
        let n = getline(&buffer, &capacity, f)
        if n < 0 {
            if ferror(f) != 0 {
                throw DataError(file: path, field: "line \(lineNumber + 1)", "read error: \(String(cString: strerror(errno)))")
            }
            return nil
        }
        lineNumber += 1
        guard let b = buffer else { return nil }
        var len = n
        while len > 0 && (b[len - 1] == 10 || b[len - 1] == 13) { len -= 1 }
        return UnsafeBufferPointer(start: UnsafeRawPointer(b).assumingMemoryBound(to: UInt8.self), count: len)
    }
}
