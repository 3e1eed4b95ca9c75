import Foundation
import XCTest

/// Temporary directories and file corruption helpers shared by the dataset/HDF5 tests.
enum DatasetTestSupport {
    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ tag: String = #function) throws -> String {
        let safe = tag.filter { $0.isLetter || $0.isNumber }
        let dir = NSTemporaryDirectory() + "se3-hdf5data-\(safe)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Cuts the file to `fraction` of its size.
    static func truncate(_ path: String, fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let keep = Int(Double(data.count) * fraction)
        try data.prefix(keep).write(to: URL(fileURLWithPath: path))
    }

    /// XORs `count` bytes starting at `offset` with 0xFF.
    static func flipBytes(_ path: String, at offset: Int, count: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in offset..<min(offset + count, data.count) { data[i] ^= 0xFF }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Directory of this test file (fixtures live under `Fixtures/`).
    static func testsDirectory(_ file: String = #filePath) -> String {
        (file as NSString).deletingLastPathComponent
    }

    /// Repository root (two levels above this file).
    static func repositoryRoot(_ file: String = #filePath) -> String {
        ((testsDirectory(file) as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
    }
}

/// Asserts that `body` throws and that the error's description contains every string in `fragments`.
func assertThrowsMentioning<T>(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                               _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
    } catch {
        let text = String(describing: error)
        for f in fragments where !text.contains(f) {
            XCTFail("error \"\(text)\" does not mention \"\(f)\"", file: file, line: line)
        }
    }
}
