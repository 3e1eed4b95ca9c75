import CHDF5
import Foundation

/// Process-wide access to libhdf5: every call goes through `sync`, which takes a
/// recursive lock (the serial library is not reentrant in every build) and turns off
/// HDF5's automatic error printing for the calling thread (that setting is per thread;
/// left on, HDF5 prints stacks and can report "infinite loop closing library" at exit).
enum HDF5Library {
    static let lock = NSRecursiveLock()

    @inline(__always) @discardableResult
    static func sync<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        se3_h5_silence()
        return try body()
    }

    /// The descriptions on this thread's HDF5 error stack, outermost (API) first,
    /// joined with "; " (duplicates removed). Clears the stack.
    static func takeErrorMessage() -> String {
        final class Box { var messages: [String] = [] }
        let box = Box()
        let unmanaged = Unmanaged.passRetained(box)
        _ = H5Ewalk2(se3_h5e_default(), H5E_WALK_DOWNWARD, { _, desc, data in
            guard let desc = desc, let data = data else { return 0 }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            if let d = desc.pointee.desc {
                let text = String(cString: d)
                if !text.isEmpty && !box.messages.contains(text) { box.messages.append(text) }
            }
            return 0
        }, unmanaged.toOpaque())
        unmanaged.release()
        se3_h5_clear_errors()
        if box.messages.isEmpty { return "HDF5 reported an error without a message" }
        return box.messages.joined(separator: "; ")
    }

    /// Throws an `HDF5Error` when `status` is negative (HDF5's failure convention).
    @discardableResult @inline(__always)
    static func check<T: BinaryInteger>(_ status: T, file: String, object: String, _ what: @autoclosure () -> String) throws -> T {
        if status < 0 {
            throw HDF5Error(file: file, object: object, message: "\(what()): \(takeErrorMessage())")
        }
        return status
    }
}
