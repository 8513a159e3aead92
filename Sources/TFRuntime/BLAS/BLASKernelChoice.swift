import TFGraph
/// Which OpenBLAS kernel (an `OPENBLAS_CORETYPE` name) a CPU should run, from its
/// features alone.
///
/// Debian's OpenBLAS picks its kernel from a table of CPU models; a model newer than the
/// table (an Intel Xeon of family 6 model 207, for one) falls back to the generic
/// `Prescott` kernel, 3-4x slower than the AVX-512 one the CPU supports. Choosing from
/// the features the CPU and its OS report gives the best kernel on any model:
///
/// | features | kernel |
/// |---|---|
/// | AVX-512 F, BW, DQ and VL (Intel Skylake-SP and later, AMD Zen 4 and later) | `SKYLAKEX` |
/// | AVX2 and FMA, AMD or Hygon (Zen 1-3) | `ZEN` |
/// | AVX2 and FMA, any other vendor (Intel Haswell to Comet Lake, ...) | `HASWELL` |
/// | AVX without AVX2 (Sandy Bridge, Ivy Bridge) | `SANDYBRIDGE` |
/// | arm64 with SVE | `NEOVERSEV1` |
/// | arm64 with NEON only, or x86 without AVX | none: the library's own choice |
///
/// `SKYLAKEX` rather than `COOPERLAKE` on AVX-512 BF16 CPUs: in OpenBLAS 0.3.21 the two
/// share their single-precision kernels, and the bench measures both (`gemm-peak` rows).
public enum BLASKernelChoice {
    /// The `OPENBLAS_CORETYPE` for `cpu`, or nil where the library's own detection is
    /// as good as anything the features allow.
    public static func coreType(for cpu: CPUFacts) -> String? {
        let features = cpu.features
        switch cpu.architecture {
        case .x86_64:
            if features.isSuperset(of: [.avx512f, .avx512bw, .avx512dq, .avx512vl]) { return "SKYLAKEX" }
            if features.isSuperset(of: [.avx2, .fma]) {
                return cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine" ? "ZEN" : "HASWELL"
            }
            if features.contains(.avx) { return "SANDYBRIDGE" }
            return nil
        case .arm64:
            return features.contains(.sve) ? "NEOVERSEV1" : nil
        case .other:
            return nil
        }
    }

    /// Every kernel `cpu` can run that is worth measuring against the choice: the bench
    /// times `gemm-peak` under each (set as `OPENBLAS_CORETYPE`) to check the choice is
    /// within 10% of the best.
    public static func candidates(for cpu: CPUFacts) -> [String] {
        let features = cpu.features
        var kernels: [String] = []
        switch cpu.architecture {
        case .x86_64:
            if features.contains(.avx) { kernels.append("SANDYBRIDGE") }
            if features.isSuperset(of: [.avx2, .fma]) { kernels += ["HASWELL", "ZEN"] }
            if features.isSuperset(of: [.avx512f, .avx512bw, .avx512dq, .avx512vl]) { kernels.append("SKYLAKEX") }
            if features.isSuperset(of: [.avx512f, .avx512bw, .avx512dq, .avx512vl, .avx512bf16]) {
                kernels.append("COOPERLAKE")
            }
        case .arm64:
            kernels = ["ARMV8", "NEOVERSEN1"]
            if features.contains(.sve) { kernels.append("NEOVERSEV1") }
        case .other:
            break
        }
        return kernels
    }
}
