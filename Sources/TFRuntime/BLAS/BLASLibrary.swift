import TFGraph
import COpenBLAS
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The BLAS this process computes its matrix products with: OpenBLAS, loaded at first use
/// with the kernel `BLASKernelChoice` picks for the CPU, and checked with one small product
/// against a plain loop before anything uses it.
///
/// A user's own `OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE` is always respected: with either
/// set, the library decides as it would alone. If the chosen kernel computes a wrong
/// product, a second copy of the library runs with its own choice instead, and a warning
/// says so once on stderr (printed by the loader, which runs once per process).
///
/// OpenBLAS reads its setting only from the environment, so the load sets
/// `OPENBLAS_CORETYPE` in this process's environment while the library initializes and
/// removes it after. `setenv` is not safe against another thread's `getenv`: load it (create
/// the first `Session`, or call `loaded()`) before starting threads that read the environment.
///
///     let blas = try BLASLibrary.loaded()
///     print(blas.summary)  // CPU, its vector features, and the kernel in use
public struct BLASLibrary: Sendable {
    /// How the kernel in use was selected.
    public enum Selection: Sendable, Equatable {
        /// Chosen from the CPU's features (`BLASKernelChoice`), set as `OPENBLAS_CORETYPE`
        /// while the library initialized.
        case chosenFromFeatures(coreType: String)
        /// The user's `OPENBLAS_CORETYPE` (or `OPENBLAS_L2_SIZE`) decided.
        case userEnvironment(String)
        /// The library's own detection: no kernel is better for this CPU's features.
        case libraryDetection
        /// The chosen kernel failed the start-up check; the library's own choice is in use.
        case libraryDetectionAfterWrongResult(rejected: String)
        /// OpenBLAS was in the process before this library loaded it, kernel already fixed.
        case alreadyLoaded
    }

    /// The kernel in use, as OpenBLAS names it (`SkylakeX`, `Haswell`, `Zen`, ...).
    public let kernel: String
    /// OpenBLAS's build description (`OpenBLAS 0.3.21 DYNAMIC_ARCH ...`).
    public let configuration: String
    public let selection: Selection
    /// The CPU the choice was made for.
    public let cpu: CPUFacts

    /// Two lines: the CPU and its vector features, then the BLAS kernel and why it runs.
    public var summary: String {
        """
        CPU: \(cpu.summary); vector features: \(cpu.featureList)
        BLAS: \(configuration.split(separator: " ").prefix(2).joined(separator: " ")), kernel \(kernel) \(reason)
        """
    }

    private var reason: String {
        switch selection {
        case .chosenFromFeatures(let coreType): "(chosen from the CPU's features: OPENBLAS_CORETYPE=\(coreType))"
        case .userEnvironment(let setting): "(set by the environment: \(setting))"
        case .libraryDetection: "(OpenBLAS's own detection; no better kernel for these features)"
        case .libraryDetectionAfterWrongResult(let rejected):
            "(OpenBLAS's own detection: the \(rejected) kernel failed the start-up check)"
        case .alreadyLoaded: "(OpenBLAS was loaded before, its kernel fixed then)"
        }
    }

    /// The loaded library, loading it on first use.
    /// - Throws: `BLASUnavailable` when OpenBLAS cannot be loaded or computes wrong products.
    public static func loaded() throws(BLASUnavailable) -> BLASLibrary {
        try load(simulatingWrongKernel: false)
    }

    /// `loaded()`, with the first start-up check failing on purpose when
    /// `simulatingWrongKernel` is set (tools/blas-info uses it to show the fallback). Only
    /// the first call in a process loads; later calls return what it loaded.
    package static func load(simulatingWrongKernel: Bool) throws(BLASUnavailable) -> BLASLibrary {
        let cpu = CPUFacts.current
        let choice = BLASKernelChoice.coreType(for: cpu)
        let status = choice.map { c_tfblas_load($0, simulatingWrongKernel ? 1 : 0) }
            ?? c_tfblas_load(nil, simulatingWrongKernel ? 1 : 0)
        guard status == 0 else { throw BLASUnavailable(message: String(cString: c_tfblas_message())) }
        let selection: Selection
        switch c_tfblas_selection_made() {
        case C_TFBLAS_CHOSEN: selection = .chosenFromFeatures(coreType: choice ?? "?")
        case C_TFBLAS_FALLBACK_AFTER_WRONG_RESULT: selection = .libraryDetectionAfterWrongResult(rejected: choice ?? "?")
        case C_TFBLAS_ALREADY_LOADED: selection = .alreadyLoaded
        default: selection = userSetting().map { .userEnvironment($0) } ?? .libraryDetection
        }
        return BLASLibrary(
            kernel: String(cString: c_tfblas_kernel_name()), configuration: String(cString: c_tfblas_configuration()),
            selection: selection, cpu: cpu)
    }

    /// The thread count last given to OpenBLAS (0 before any).
    private static let currentThreads = Atomic<Int>(0)

    /// Sets OpenBLAS's own thread count (process-wide: the library has one) when it is not
    /// `threads` already.
    func useThreads(_ threads: Int) {
        // A load first: every run calls this, and the count almost always matches already
        // (a read-modify-write would take the cache line exclusively each time).
        guard Self.currentThreads.load(ordering: .relaxed) != threads,
            Self.currentThreads.exchange(threads, ordering: .relaxed) != threads
        else { return }
        c_tfblas_set_threads(Int32(clamping: threads))
    }

    private static func userSetting() -> String? {
        let settings = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"].compactMap { name -> String? in
            guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { return nil }
            return "\(name)=\(value)"
        }
        return settings.isEmpty ? nil : settings.joined(separator: ", ")
    }
}

/// OpenBLAS could not be loaded, or computes wrong products on this CPU.
public struct BLASUnavailable: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public let message: String
    public var description: String { message }
}
