import Foundation

#if FUZZING
    /// libFuzzer's driver, for programs that keep their own `main` (`-sanitize=fuzzer` links it in).
    @_extern(c, "LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ testOneInput: @convention(c) (UnsafeRawPointer, Int) -> CInt
    ) -> CInt
#endif

/// Fuzzes the JSON reader and writer (`make fuzz`) or, in an ordinary build, replays saved inputs through the same
/// check: `CallsJSONFuzz crash-1234 input.json`.
///
/// SwiftPM links every executable on Linux with `--defsym main=<Module>_main`, so libFuzzer's own `main` can't take
/// over (an executable without one fails to link). This `main` hands libFuzzer the arguments instead, through
/// `LLVMFuzzerRunDriver`, when built with `-DFUZZING -sanitize=fuzzer -enable-experimental-feature Extern`.
@main
enum JSONFuzzMain {
    static func main() {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, fuzz))
        #else
            let paths = CommandLine.arguments.dropFirst()
            guard !paths.isEmpty else {
                FileHandle.standardError.write(Data("usage: CallsJSONFuzz FILE...\n".utf8))
                exit(64)
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                    exit(66)
                }
                let isJSON = JSONRoundTrip.check(Array(data))
                print("\(path): \(isJSON ? "JSON, round trip holds" : "refused")")
            }
        #endif
    }
}
