// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-tensorboard",
    // Linux is where it is built and tested; macOS 15 is the first with the Synchronization
    // module (Mutex, Atomic) the writer and the runtime use.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TFRecord", targets: ["TFRecord"]),
        .library(name: "TensorBoard", targets: ["TensorBoard"]),
        // The protobuf messages in the public API (add(summary:), add(graph:), event()).
        .library(name: "TFProtos", targets: ["TFProtos"]),
        // The trainer core: TFGraph (graphs, op types, gradients), TFRuntime (kernels, plans,
        // Session), TFCheckpoint (V2 checkpoints, Saver); TFCore imports all three.
        .library(name: "TFCore", targets: ["TFCore"]),
        .library(name: "TFGraph", targets: ["TFGraph"]),
        .library(name: "TFRuntime", targets: ["TFRuntime"]),
        .library(name: "TFCheckpoint", targets: ["TFCheckpoint"]),
        // Data-parallel training across processes (mpirun, Open MPI loaded at run time).
        .library(name: "TFDistributed", targets: ["TFDistributed"]),
        .library(name: "MNIST", targets: ["MNIST"]),
        .library(name: "Mechanics101", targets: ["Mechanics101"]),
        .executable(name: "fully-connected-feed", targets: ["fully-connected-feed"]),
        .executable(name: "tfevents", targets: ["tfevents"]),
        .executable(name: "mnist-with-summaries", targets: ["mnist-with-summaries"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        // C shims and system libraries.
        .target(name: "CCRC32C"),
        // Acquire loads and release stores of words in raw memory (the record ring, the tag table).
        .target(name: "CAtomicWords"),
        // The CPU's tick counter (rdtsc / cntvct_el0), read by the writer's wall clock.
        .target(name: "CTicks"),
        .target(name: "CPixels"),
        // The float histogram's bucket count, vectorized where the CPU has AVX2.
        .target(name: "CHistogram"),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // OpenBLAS, loaded at run time once its kernel is chosen (needs libopenblas0 to run,
        // nothing to build), and the cpuid facts the choice is made from.
        .target(name: "COpenBLAS", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // Open MPI, loaded at run time only by a process mpirun started (needs openmpi-bin to
        // run under mpirun, nothing to build).
        .target(name: "CMPI", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),

        // Generated protobuf code (tools/generate-protos; never hand-edited).
        .target(
            name: "TFProtos",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        // Libraries.
        .target(name: "TFRecord", dependencies: ["CCRC32C"]),
        .target(
            name: "TensorBoard",
            dependencies: [
                "TFRecord", "TFProtos", "CZlib", "CTicks", "CHistogram", "CAtomicWords",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The trainer core, in layers: the graph never sees a kernel; the runtime finds
        // kernels by op type; checkpoints are bytes, with the Saver on top.
        .target(
            name: "TFGraph",
            dependencies: ["TFProtos", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "TFRuntime",
            dependencies: [
                "TFGraph", "TensorBoard", "TFProtos", "COpenBLAS", "Randomness",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "TFCheckpoint",
            dependencies: [
                "TFGraph", "TFRuntime", "TFRecord", "TFProtos",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(name: "TFCore", dependencies: ["TFGraph", "TFRuntime", "TFCheckpoint"]),
        // Data-parallel training: process groups, DistributedOptimizer, the MPI collective.
        .target(name: "TFDistributed", dependencies: ["TFGraph", "TFRuntime", "CMPI"]),
        // Seeded generators shared by the random ops, data shuffling and tests.
        .target(name: "Randomness"),
        .target(name: "MNIST", dependencies: ["CZlib", "CPixels", "Randomness"]),
        .target(name: "Mechanics101", dependencies: ["TFCore", "TFDistributed"]),
        // What the two training programs share: their failure, progress lines, and which
        // files of a run they can prove they wrote.
        .target(name: "ProgramSupport", dependencies: ["MNIST", "TFCore", "TFProtos", "TFRecord", "TensorBoard"]),
        // The fuzzing harness: a target, not a product (users of the package never see it).
        // Its tests replay the committed corpus; tools/fuzz/run links it into a libFuzzer binary.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "TensorBoard", "TFRecord", "TFProtos", "TFCore", "MNIST",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),

        // Programs.
        .executableTarget(
            name: "fully-connected-feed",
            dependencies: [
                "TFCore", "TFDistributed", "TensorBoard", "MNIST", "Mechanics101", "ProgramSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "mnist-with-summaries",
            dependencies: [
                "TFCore", "TensorBoard", "MNIST", "ProgramSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "tfevents",
            dependencies: [
                "TensorBoard", "TFRecord", "TFProtos",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "tools/tfevents"
        ),
        .executableTarget(
            name: "demo-run",
            dependencies: ["TensorBoard", "TFProtos"],
            path: "tools/demo-run"
        ),
        .executableTarget(
            name: "checkpoint-check",
            dependencies: [
                "TFCore", "MNIST", "Mechanics101", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "tools/checkpoint-check"
        ),
        // Trains a small model data-parallel with the library API, for TFDistributedTests.
        .executableTarget(name: "distributed-check", dependencies: ["TFCore", "TFDistributed"], path: "tools/distributed-check"),
        .executableTarget(name: "blas-info", dependencies: ["TFCore"], path: "tools/blas-info"),
        .executableTarget(
            name: "hostile-inputs", dependencies: ["TensorBoard", "TFProtos", "TestSupport"], path: "tools/hostile-inputs"),
        .executableTarget(name: "fuzz-seeds", dependencies: ["FuzzTargets"], path: "tools/fuzz/seeds"),
        .executableTarget(
            name: "bench-ours",
            dependencies: ["TensorBoard", "TFRecord", "TFCore", "COpenBLAS", "MNIST", "Mechanics101"],
            path: "tools/bench/ours"
        ),

        // Tests mirror the modules.
        .target(name: "TestSupport", dependencies: ["TFRecord", "TensorBoard", "TFProtos", "Randomness"], path: "Tests/TestSupport"),
        .testTarget(name: "TFProtosTests", dependencies: ["TFProtos", "TestSupport"]),
        .testTarget(name: "TFRecordTests", dependencies: ["TFRecord", "TestSupport"]),
        .testTarget(
            name: "TensorBoardTests",
            dependencies: ["TensorBoard", "TFRecord", "TFProtos", "TestSupport", "CZlib"],
            // Event files written by TensorFlow and tensorboardX (tools/fixtures), found by path.
            exclude: ["Fixtures"]
        ),
        .target(name: "TrainerTestSupport", dependencies: ["Mechanics101", "TFCore"], path: "Tests/TrainerTestSupport"),
        .testTarget(name: "TFGraphTests", dependencies: ["TFCore", "Randomness", "TrainerTestSupport", "TestSupport"]),
        .testTarget(
            name: "TFRuntimeTests", dependencies: ["TFCore", "TensorBoard", "Mechanics101", "TrainerTestSupport", "TestSupport"]),
        .testTarget(name: "TFCheckpointTests", dependencies: ["TFCore", "TFRecord", "Mechanics101", "TrainerTestSupport", "TestSupport"]),
        // The trainer as users import it (`import TFCore`), as the README shows it.
        .testTarget(name: "TFCoreTests", dependencies: ["TFCore"]),
        .testTarget(
            name: "TFDistributedTests",
            dependencies: ["TFCore", "TFDistributed", "TFRecord", "TensorBoard", "TFProtos", "TestSupport", "TrainerTestSupport"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "TestSupport"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "TensorBoard", "TFCore", "MNIST"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TensorBoard", "TFRecord", "TFProtos", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
