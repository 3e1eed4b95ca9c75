import SE3Core
import SE3Config
import SE3Train

/// libFuzzer target: the config decoder. The bytes up to the first NUL are the YAML text given
/// to `TrainConfig.parse`; each further NUL-separated part is one `--set key.path=value`
/// override (at most 4). A `ConfigError` is the expected outcome for bad input; a config that
/// parses must survive a round trip through `yaml()`. Seeds: Tests/Fixtures/fuzz/config.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = UnsafeBufferPointer(start: data, count: size).split(separator: 0, maxSplits: 4, omittingEmptySubsequences: false)
    let yaml = parts.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    let overrides = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    do {
        let config = try TrainConfig.parse(yaml: yaml, file: "<fuzz>", overrides: overrides)
        let again = try TrainConfig.parse(yaml: try config.yaml(), file: "<fuzz round trip>")
        require(again == config, "the config does not survive yaml() and parse")
    } catch is ConfigError {
    } catch {
        requirementFailure("TrainConfig.parse threw a non-ConfigError: \(error)")
    }
    return 0
}

/// SwiftPM links an executable target with `main` renamed to `FuzzConfig_main` (so that tests could
/// link it); libFuzzer's own `main` is then never used, so this entry point runs its driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzConfig_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
