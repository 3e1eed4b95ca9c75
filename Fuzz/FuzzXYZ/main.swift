import SE3Core
import SE3Data

/// libFuzzer target: the input bytes as an extended-XYZ text. Every frame is read (once with
/// the default options, once keeping the frame text and skipping the first frame); a
/// `DataError` is the expected outcome for bad input, anything else (a trap, a sanitizer
/// report) is a finding. Seeds: Tests/Fixtures/fuzz/xyz.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let reader = try XYZReader(text: text, name: "<fuzz>")
        var frames = 0
        while let s = try reader.next() {
            frames += 1
            require(s.positions.count == s.atomicNumbers.count, "positions and atomic numbers differ in length")
        }
        require(frames == reader.framesRead, "framesRead \(reader.framesRead) != frames returned \(frames)")
    } catch is DataError {
    } catch {
        requirementFailure("XYZReader threw a non-DataError: \(error)")
    }
    do {
        let reader = try XYZReader(text: text, name: "<fuzz>", options: XYZReader.Options(keepText: true))
        _ = try reader.skip(1)
        while try reader.next() != nil { require(reader.frameText != nil, "keepText without frame text") }
    } catch is DataError {
    } catch {
        requirementFailure("XYZReader threw a non-DataError: \(error)")
    }
    return 0
}

/// SwiftPM links an executable target with `main` renamed to `FuzzXYZ_main` (so that tests could
/// link it); libFuzzer's own `main` is then never used, so this entry point runs its driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzXYZ_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
