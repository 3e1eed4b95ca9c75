#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file (or an in-memory text) one line at a time with C `getline`, never
/// holding more than the current line. `line` holds the bytes of the current line without
/// the line terminator ("\n" or "\r\n"), followed by a NUL byte (so C parsers can run on it).
final class XYZLineReader {
    private var file: UnsafeMutablePointer<FILE>?
    private var memory: [UInt8]
    private var memoryPosition = 0
    private var cbuf: UnsafeMutablePointer<CChar>?
    private var ccap = 0
    /// Current line bytes plus a trailing NUL.
    private(set) var line: [UInt8] = [0]
    /// 1-based number of the current line (0 before the first `advance`).
    private(set) var lineNumber = 0
    let name: String

    init(path: String) throws {
        guard let f = fopen(path, "r") else {
            throw DataError(file: path, field: "file", "cannot open for reading (errno \(errno))")
        }
        file = f
        memory = []
        name = path
    }

    init(text: String, name: String) {
        file = nil
        memory = Array(text.utf8)
        self.name = name
    }

    deinit {
        if let f = file { fclose(f) }
        free(cbuf)
    }

    /// Length of the current line in bytes (without the NUL).
    var length: Int { line.count - 1 }

    /// Reads the next line; false at end of input.
    func advance() -> Bool {
        line.removeAll(keepingCapacity: true)
        if let f = file {
            let n = getline(&cbuf, &ccap, f)
            if n < 0 { line.append(0); return false }
            cbuf!.withMemoryRebound(to: UInt8.self, capacity: n) { p in
                line.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            }
        } else {
            if memoryPosition >= memory.count { line.append(0); return false }
            var e = memoryPosition
            while e < memory.count && memory[e] != 10 { e += 1 }
            line.append(contentsOf: memory[memoryPosition..<min(e + 1, memory.count)])
            memoryPosition = e + 1
        }
        if line.last == 10 { line.removeLast() }
        if line.last == 13 { line.removeLast() }
        line.append(0)
        lineNumber += 1
        return true
    }

    /// The current line as a String (for messages and the header lines).
    var text: String { String(decoding: line[0..<length], as: UTF8.self) }

    /// Byte ranges of the whitespace-separated (space, tab) tokens of the current line.
    func tokens(into out: inout [Range<Int>]) {
        out.removeAll(keepingCapacity: true)
        let n = length
        line.withUnsafeBufferPointer { p in
            var i = 0
            while i < n {
                while i < n && (p[i] == 32 || p[i] == 9) { i += 1 }
                if i >= n { break }
                let s = i
                while i < n && p[i] != 32 && p[i] != 9 { i += 1 }
                out.append(s..<i)
            }
        }
    }

    /// The token's text.
    func string(_ r: Range<Int>) -> String { String(decoding: line[r], as: UTF8.self) }

    /// The token parsed as a double (C `strtod`, the whole token must be consumed), or nil.
    func double(_ r: Range<Int>) -> Double? {
        line.withUnsafeBufferPointer { p -> Double? in
            let base = UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(base + r.lowerBound, &end)
            guard let e = end, e == UnsafeMutablePointer(mutating: base + r.upperBound) else { return nil }
            return v
        }
    }

    /// The token parsed as a (decimal) integer, or nil.
    func integer(_ r: Range<Int>) -> Int? {
        var v = 0, neg = false, i = r.lowerBound
        if i < r.upperBound && (line[i] == 45 || line[i] == 43) { neg = line[i] == 45; i += 1 }
        guard i < r.upperBound, r.count <= 18 else { return nil }
        while i < r.upperBound {
            let c = line[i]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
            i += 1
        }
        return neg ? -v : v
    }

    /// True if the current line has only whitespace.
    var isBlank: Bool { line[0..<length].allSatisfy { $0 == 32 || $0 == 9 } }
}
