import TFGraph
import COpenBLAS

/// A vector-instruction feature of a CPU that a BLAS kernel may need.
public enum CPUFeature: String, CaseIterable, Sendable, Comparable {
    case sse42 = "SSE4.2"
    case avx = "AVX"
    case avx2 = "AVX2"
    case fma = "FMA"
    case avx512f = "AVX-512F"
    case avx512bw = "AVX-512BW"
    case avx512dq = "AVX-512DQ"
    case avx512vl = "AVX-512VL"
    case avx512bf16 = "AVX-512BF16"
    case neon = "NEON"
    case sve = "SVE"

    public static func < (lhs: CPUFeature, rhs: CPUFeature) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// What a BLAS kernel choice depends on: the CPU's architecture, vendor, family and model
/// numbers, and the vector features both the CPU and the operating system support (an
/// AVX-512 CPU whose OS does not save the AVX-512 registers counts as having none).
///
/// `CPUFacts.current` reads them from the machine (cpuid and XCR0 on x86, the auxiliary
/// vector on arm64); tests build them by hand.
public struct CPUFacts: Sendable, Hashable {
    public enum Architecture: String, Sendable {
        case x86_64, arm64, other
    }

    public var architecture: Architecture
    /// The cpuid vendor string (`GenuineIntel`, `AuthenticAMD`, `HygonGenuine`, ...), or the
    /// architecture's name where there is none.
    public var vendor: String
    /// Display family and model (base plus extended fields, as Intel and AMD define them).
    public var family: Int
    public var model: Int
    /// The processor's brand string (`Intel(R) Xeon(R) ...`), or "unknown".
    public var modelName: String
    public var features: Set<CPUFeature>

    public init(
        architecture: Architecture, vendor: String, family: Int = 0, model: Int = 0, modelName: String = "unknown",
        features: Set<CPUFeature>
    ) {
        self.architecture = architecture
        self.vendor = vendor
        self.family = family
        self.model = model
        self.modelName = modelName
        self.features = features
    }

    /// The features, in a fixed order, as one line: `AVX AVX2 FMA AVX-512F ...`.
    public var featureList: String {
        features.isEmpty ? "none detected" : features.sorted().map(\.rawValue).joined(separator: " ")
    }

    /// One line naming the CPU: `Intel(R) Xeon(R) Processor (GenuineIntel family 6 model 143, x86_64)`.
    public var summary: String {
        architecture == .x86_64
            ? "\(modelName) (\(vendor) family \(family) model \(model), \(architecture.rawValue))"
            : "\(modelName) (\(architecture.rawValue))"
    }

    /// The facts of the CPU this process runs on.
    public static let current: CPUFacts = {
        #if arch(x86_64)
        return readX86()
        #elseif arch(arm64)
        var features: Set<CPUFeature> = []
        let hwcap = c_tfblas_hwcap()
        if hwcap & (1 << 1) != 0 { features.insert(.neon) }  // HWCAP_ASIMD
        if hwcap & (1 << 22) != 0 { features.insert(.sve) }  // HWCAP_SVE
        #if os(macOS)
        features.insert(.neon)
        #endif
        return CPUFacts(architecture: .arm64, vendor: "arm64", features: features)
        #else
        return CPUFacts(architecture: .other, vendor: "unknown", features: [])
        #endif
    }()

    private static func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> (eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32) {
        var registers: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &registers) { raw in
            c_tfblas_cpuid(leaf, subleaf, raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
        return registers
    }

    private static func ascii(_ words: [UInt32]) -> String {
        var bytes: [UInt8] = []
        for word in words {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        return text.split(separator: " ").joined(separator: " ")
    }

    private static func readX86() -> CPUFacts {
        let leaf0 = cpuid(0)
        let vendor = ascii([leaf0.ebx, leaf0.edx, leaf0.ecx])
        let leaf1 = cpuid(1)
        let baseFamily = Int((leaf1.eax >> 8) & 0xF)
        let baseModel = Int((leaf1.eax >> 4) & 0xF)
        let family = baseFamily == 0xF ? baseFamily + Int((leaf1.eax >> 20) & 0xFF) : baseFamily
        let model = baseFamily == 0x6 || baseFamily == 0xF ? baseModel + Int((leaf1.eax >> 16) & 0xF) << 4 : baseModel
        let leaf7 = cpuid(7)
        let leaf7s1 = cpuid(7, 1)
        let xcr0 = c_tfblas_xgetbv0()
        let osSavesAVX = xcr0 & 0b110 == 0b110  // SSE and AVX state
        let osSavesAVX512 = osSavesAVX && xcr0 & 0b1110_0000 == 0b1110_0000  // opmask, ZMM_Hi256, Hi16_ZMM
        var features: Set<CPUFeature> = []
        func bit(_ register: UInt32, _ index: UInt32) -> Bool { register & (1 << index) != 0 }
        if bit(leaf1.ecx, 20) { features.insert(.sse42) }
        if osSavesAVX {
            if bit(leaf1.ecx, 28) { features.insert(.avx) }
            if bit(leaf1.ecx, 12) { features.insert(.fma) }
            if bit(leaf7.ebx, 5) { features.insert(.avx2) }
        }
        if osSavesAVX512 {
            if bit(leaf7.ebx, 16) { features.insert(.avx512f) }
            if bit(leaf7.ebx, 17) { features.insert(.avx512dq) }
            if bit(leaf7.ebx, 30) { features.insert(.avx512bw) }
            if bit(leaf7.ebx, 31) { features.insert(.avx512vl) }
            if bit(leaf7s1.eax, 5) { features.insert(.avx512bf16) }
        }
        let brand = ascii([0x8000_0002, 0x8000_0003, 0x8000_0004].flatMap { leaf -> [UInt32] in
            let r = cpuid(UInt32(leaf))
            return [r.eax, r.ebx, r.ecx, r.edx]
        })
        return CPUFacts(
            architecture: .x86_64, vendor: vendor, family: family, model: model,
            modelName: brand.isEmpty ? "unknown" : brand, features: features)
    }
}
