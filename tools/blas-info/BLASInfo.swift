import Foundation
import TFCore

/// Prints what TFCore's matrix products run on: the CPU, its vector features, the OpenBLAS
/// kernel chosen and in use. `tools/bench/run` records it beside the numbers.
///
///     blas-info                          the two summary lines
///     blas-info --json                   the same facts as one JSON object
///     blas-info --candidates             kernels this CPU can run (OPENBLAS_CORETYPE names)
///     blas-info --simulate-wrong-kernel  fail the start-up check on purpose: shows the fallback
@main
struct BLASInfo {
    static func main() {
        let arguments = Set(CommandLine.arguments.dropFirst())
        let known: Set = ["--json", "--candidates", "--simulate-wrong-kernel"]
        guard arguments.isSubset(of: known) else {
            FileHandle.standardError.write(Data("usage: blas-info [--json | --candidates] [--simulate-wrong-kernel]\n".utf8))
            exit(2)
        }
        let cpu = CPUFacts.current
        if arguments.contains("--candidates") {
            print(BLASKernelChoice.candidates(for: cpu).joined(separator: " "))
            return
        }
        let library: BLASLibrary
        do {
            library = try BLASLibrary.load(simulatingWrongKernel: arguments.contains("--simulate-wrong-kernel"))
        } catch {
            FileHandle.standardError.write(Data("blas-info: \(error.message)\n".utf8))
            exit(1)
        }
        guard arguments.contains("--json") else {
            print(library.summary)
            return
        }
        let object: [String: Any] = [
            "cpu": cpu.modelName, "vendor": cpu.vendor, "family": cpu.family, "model": cpu.model,
            "architecture": cpu.architecture.rawValue, "features": cpu.features.sorted().map(\.rawValue),
            "choice": BLASKernelChoice.coreType(for: cpu) ?? NSNull(), "kernel": library.kernel,
            "configuration": library.configuration, "selection": "\(library.selection)",
            "summary": library.summary,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }
}
