// swift-tools-version:6.1
// A package that uses swift-tensorboard as a user's package does: only its declared
// products, with MemberImportVisibility on (members are visible only from modules this
// file imports itself). `tools/test` builds and runs it, so a public API that needs an
// undeclared product, or a member only reachable through a transitive import, fails the
// tests. See README, "Use it in your package".
import PackageDescription

let package = Package(
    name: "UsingTheLibrary",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your package: .package(url: "https://github.com/<owner>/swift-tensorboard.git", from: "…")
        .package(name: "swift-tensorboard", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "UsingTheLibrary",
            dependencies: [
                .product(name: "TensorBoard", package: "swift-tensorboard"),
                .product(name: "TFProtos", package: "swift-tensorboard"),
                .product(name: "TFCore", package: "swift-tensorboard"),
            ],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        )
    ],
    swiftLanguageModes: [.v6]
)
