// The formula parser's fuzz target (see FuzzSupport/FormulaFuzzTarget.swift and `make fuzz`).
//
// Built with `-sanitize=fuzzer,address -DQUIPU_LIBFUZZER` (`make fuzz`), this file defines
// libFuzzer's entry point and the executable's, which starts libFuzzer (see LibFuzzerDriver).
// In ordinary builds it is a small program that runs corpus files and seeded mutations of them
// (StandaloneDriver), so `swift build` builds it like any other target.

import FuzzSupport

#if QUIPU_LIBFUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func quipuFuzzFormula(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LibFuzzerEntry.run(.formula, data, size)
}

@_cdecl("FuzzFormula_main")
public func quipuFuzzFormulaMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    LibFuzzerDriver.run(argc: argc, argv: argv) { quipuFuzzFormula($0, $1) }
}
#else
import Foundation

@main
struct FormulaFuzzMain {
    static func main() {
        exit(StandaloneDriver.main(target: .formula, arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
#endif

