#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Streaming reader of one qm9pack CSV file (`qm9_part{1,2,3}.csv`), one molecule per line.
///
/// Columns used (found by header name): `Index` (→ id), `N_atoms`, `Elements` (`['C','H',...]`),
/// `XYZ_Ang` (`[[x,y,z],...]`, Å), `Mulliken_pop` (per-atom Mulliken charges, e), and the
/// property columns listed in `QM9Importer.columns`. Fields may be double-quoted; the list
/// fields contain commas inside quotes. Errors name the file, line and column.
final class QM9CSVReader {
    let path: String
    private let lines: QM9LineReader
    private let column: [String: Int]
    private let columnCount: Int
    private var fields: [Range<Int>] = []
    private var numbers: [Double] = []
    /// NUL-terminated copy of one number token for `strtod`. Allocated last in `init`: an
    /// initializer that throws does not run `deinit`, so an earlier allocation would leak.
    private let scratch: UnsafeMutablePointer<CChar>
    /// Atomic number by lower-cased one- or two-letter symbol packed as `b0 | b1 << 8`.
    private static let symbolTable: [UInt16: Int32] = {
        var t: [UInt16: Int32] = [:]
        for z in 1...118 {
            let b = Array(DatasetElements.symbols[z].lowercased().utf8)
            t[UInt16(b[0]) | (b.count > 1 ? UInt16(b[1]) << 8 : 0)] = Int32(z)
        }
        return t
    }()

    deinit { scratch.deallocate() }

    static let required = ["Index", "N_atoms", "Elements", "XYZ_Ang", "Mulliken_pop"] + QM9Importer.columns.map(\.column)

    init(path: String) throws {
        self.path = path
        lines = try QM9LineReader(path: path)
        guard let header = try lines.nextLine() else { throw DataError(file: path, field: "line 1", "empty file, expected a CSV header") }
        var fields: [Range<Int>] = []
        try QM9CSVReader.split(header, into: &fields, path: path, line: 1)
        var map: [String: Int] = [:]
        for (i, r) in fields.enumerated() {
            let name = String(decoding: UnsafeBufferPointer(rebasing: header[r]), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            map[name] = i
        }
        for name in QM9CSVReader.required where map[name] == nil {
            throw DataError(file: path, field: "line 1, column \(name)", "missing column \(name) in the CSV header")
        }
        column = map
        columnCount = fields.count
        scratch = UnsafeMutablePointer<CChar>.allocate(capacity: 64)
    }

    /// Splits a CSV line into field byte ranges (outer double quotes excluded).
    static func split(_ line: UnsafeBufferPointer<UInt8>, into fields: inout [Range<Int>], path: String, line number: Int) throws {
        fields.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        while true {
            if i < n && line[i] == 34 { // quoted
                let start = i + 1
                var j = start
                while true {
                    guard j < n else {
                        throw DataError(file: path, field: "line \(number), field \(fields.count + 1)", "unterminated quoted field")
                    }
                    if line[j] == 34 {
                        if j + 1 < n && line[j + 1] == 34 { j += 2; continue }
                        break
                    }
                    j += 1
                }
                fields.append(start..<j)
                i = j + 1
                guard i == n || line[i] == 44 else {
                    throw DataError(file: path, field: "line \(number), field \(fields.count)", "text after closing quote")
                }
            } else {
                var j = i
                while j < n && line[j] != 44 { j += 1 }
                fields.append(i..<j)
                i = j
            }
            if i >= n { break }
            i += 1 // skip comma
            if i == n { fields.append(n..<n); break }
        }
    }

    /// Parses every number in `range` (separated by `[`, `]`, `,` or spaces) into `out`.
    /// `field()` names the line and column and is only evaluated for an error.
    private func parseNumbers(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout [Double],
                              field: () -> String) throws {
        out.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        let scratchCount = 64
        while i < range.upperBound {
            let c = line[i]
            if c == 91 || c == 93 || c == 44 || c == 32 || c == 9 { i += 1; continue } // [ ] , space tab
            var j = i
            while j < range.upperBound {
                let d = line[j]
                if d == 91 || d == 93 || d == 44 || d == 32 || d == 9 { break }
                j += 1
            }
            let len = j - i
            guard len < scratchCount else {
                throw DataError(file: path, field: field(), "number token too long")
            }
            for k in 0..<len { scratch[k] = CChar(bitPattern: line[i + k]) }
            scratch[len] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            var value = strtod(scratch, &end)
            if end.map({ $0 - scratch != len }) ?? true { value = .nan }
            guard value.isFinite else {
                let token = String(decoding: UnsafeBufferPointer(rebasing: line[i..<j]), as: UTF8.self)
                throw DataError(file: path, field: field(), "\"\(token)\" is not a finite number")
            }
            out.append(value)
            i = j
        }
    }

    private func text(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[r]), as: UTF8.self)
    }

    /// The next molecule, or nil at end of file. Blank lines are skipped.
    func next() throws -> Structure? {
        while let line = try lines.nextLine() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            let number = lines.lineNumber
            try QM9CSVReader.split(line, into: &fields, path: path, line: number)
            guard fields.count == columnCount else {
                throw DataError(file: path, field: "line \(number)", "\(fields.count) fields, expected \(columnCount) as in the header")
            }
            func field(_ name: String) -> String { "line \(number), column \(name)" }
            func range(_ name: String) -> Range<Int> { fields[column[name] ?? 0] }
            func scalar(_ name: String) throws -> Double {
                try parseNumbers(line, range(name), into: &numbers, field: { field(name) })
                guard numbers.count == 1 else {
                    throw DataError(file: path, field: field(name), "expected one number, found \"\(text(line, range(name)))\"")
                }
                return numbers[0]
            }

            let indexValue = try scalar("Index")
            guard indexValue == indexValue.rounded(), abs(indexValue) < 1e15 else {
                throw DataError(file: path, field: field("Index"), "expected an integer, found \(indexValue)")
            }
            let nValue = try scalar("N_atoms")
            guard nValue == nValue.rounded(), nValue >= 1, nValue <= 1000 else {
                throw DataError(file: path, field: field("N_atoms"), "expected an atom count in 1...1000, found \(nValue)")
            }
            let n = Int(nValue)

            // Elements: ['C','H',...]
            var z: [Int32] = []
            z.reserveCapacity(n)
            let er = range("Elements")
            var i = er.lowerBound
            while i < er.upperBound {
                let c = line[i]
                if c == 39 || c == 34 { // ' or "
                    var j = i + 1
                    while j < er.upperBound && line[j] != c { j += 1 }
                    let len = j - i - 1
                    var key: UInt16 = 0
                    if len == 1 || len == 2 {
                        key = UInt16(line[i + 1] | 0x20)
                        if len == 2 { key |= UInt16(line[i + 2] | 0x20) << 8 }
                    }
                    guard let zi = QM9CSVReader.symbolTable[key] else {
                        throw DataError(file: path, field: field("Elements"), "unknown element symbol \"\(text(line, (i + 1)..<j))\"")
                    }
                    z.append(zi)
                    i = j + 1
                } else {
                    i += 1
                }
            }
            guard z.count == n else {
                throw DataError(file: path, field: field("Elements"), "\(z.count) elements for N_atoms = \(n)")
            }

            try parseNumbers(line, range("XYZ_Ang"), into: &numbers, field: { field("XYZ_Ang") })
            guard numbers.count == 3 * n else {
                throw DataError(file: path, field: field("XYZ_Ang"), "\(numbers.count) coordinates for N_atoms = \(n), expected \(3 * n)")
            }
            var positions: [SIMD3<Double>] = []
            positions.reserveCapacity(n)
            for a in 0..<n { positions.append(SIMD3(numbers[3 * a], numbers[3 * a + 1], numbers[3 * a + 2])) }

            try parseNumbers(line, range("Mulliken_pop"), into: &numbers, field: { field("Mulliken_pop") })
            guard numbers.count == n else {
                throw DataError(file: path, field: field("Mulliken_pop"), "\(numbers.count) charges for N_atoms = \(n)")
            }
            let charges = numbers

            var graph: [String: [Double]] = [:]
            for c in QM9Importer.columns {
                graph[c.target.name] = [try scalar(c.column) * c.factor]
            }
            return Structure(atomicNumbers: z, positions: positions, id: Int64(indexValue),
                             graphTargets: graph, atomTargets: ["charges": charges])
        }
        return nil
    }

    /// Number of non-blank data lines left (does not parse them).
    func countRemaining() throws -> Int {
        var n = 0
        while let line = try lines.nextLine() {
            if !line.allSatisfy({ $0 == 32 || $0 == 9 }) { n += 1 }
        }
        return n
    }
}
