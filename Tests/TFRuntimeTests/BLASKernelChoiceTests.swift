import Testing
import TFCore

/// The kernel choice is a pure function of the CPU's facts: one case per kind of CPU the
/// project may meet, including the ones OpenBLAS 0.3.21's own model table does not know.
struct BLASKernelChoiceTests {
    static let avx512: Set<CPUFeature> = [.sse42, .avx, .avx2, .fma, .avx512f, .avx512bw, .avx512dq, .avx512vl]

    static let cases: [(String, CPUFacts, String?)] = [
        ("Intel Xeon, family 6 model 207 (Emerald Rapids): OpenBLAS 0.3.21 falls back to Prescott",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 207, features: avx512.union([.avx512bf16])),
         "SKYLAKEX"),
        ("Intel Xeon Skylake-SP, AVX-512",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 85, features: avx512), "SKYLAKEX"),
        ("Intel AVX2 only (Haswell to Comet Lake, Alder Lake's P+E cores)",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 151, features: [.sse42, .avx, .avx2, .fma]),
         "HASWELL"),
        ("AMD Zen 2 (EPYC Rome)",
         CPUFacts(architecture: .x86_64, vendor: "AuthenticAMD", family: 23, model: 49, features: [.sse42, .avx, .avx2, .fma]),
         "ZEN"),
        ("AMD Zen 3 (EPYC Milan)",
         CPUFacts(architecture: .x86_64, vendor: "AuthenticAMD", family: 25, model: 1, features: [.sse42, .avx, .avx2, .fma]),
         "ZEN"),
        ("AMD Zen 4 (EPYC Genoa), AVX-512",
         CPUFacts(architecture: .x86_64, vendor: "AuthenticAMD", family: 25, model: 17, features: avx512.union([.avx512bf16])),
         "SKYLAKEX"),
        ("Hygon Dhyana (Zen 1)",
         CPUFacts(architecture: .x86_64, vendor: "HygonGenuine", family: 24, model: 0, features: [.sse42, .avx, .avx2, .fma]),
         "ZEN"),
        ("AVX-512F without BW/DQ/VL (Knights Landing) runs the AVX2 kernel",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 87, features: [.sse42, .avx, .avx2, .fma, .avx512f]),
         "HASWELL"),
        ("an AVX-512 CPU whose OS does not save AVX-512 state reports only AVX2 (read from XCR0)",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 85, features: [.sse42, .avx, .avx2, .fma]),
         "HASWELL"),
        ("Sandy Bridge, AVX without AVX2",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 42, features: [.sse42, .avx]), "SANDYBRIDGE"),
        ("an old SSE4-only CPU: the library's own choice",
         CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", family: 6, model: 26, features: [.sse42]), nil),
        ("arm64 with SVE (Neoverse V1, Graviton 3)", CPUFacts(architecture: .arm64, vendor: "arm64", features: [.neon, .sve]),
         "NEOVERSEV1"),
        ("arm64 with NEON only: the library's own choice", CPUFacts(architecture: .arm64, vendor: "arm64", features: [.neon]), nil),
        ("another architecture", CPUFacts(architecture: .other, vendor: "riscv64", features: []), nil),
    ]

    @Test(arguments: cases)
    func choosesTheKernelTheFeaturesSupport(_ name: String, _ cpu: CPUFacts, _ expected: String?) {
        #expect(BLASKernelChoice.coreType(for: cpu) == expected, "\(name)")
        if let expected {
            #expect(BLASKernelChoice.candidates(for: cpu).contains(expected), "\(name): the bench measures the choice")
        }
    }

    @Test func candidatesAreOnlyKernelsTheCPUCanRun() {
        let avx2 = CPUFacts(architecture: .x86_64, vendor: "AuthenticAMD", features: [.sse42, .avx, .avx2, .fma])
        #expect(BLASKernelChoice.candidates(for: avx2) == ["SANDYBRIDGE", "HASWELL", "ZEN"])
        let old = CPUFacts(architecture: .x86_64, vendor: "GenuineIntel", features: [.sse42])
        #expect(BLASKernelChoice.candidates(for: old).isEmpty)
    }
}
