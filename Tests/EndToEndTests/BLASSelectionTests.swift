import Foundation
import Testing
import TestSupport

/// The BLAS kernel as a user meets it: chosen without any setting, a user's setting
/// respected, a kernel that fails the start-up check replaced (with a warning), and the
/// choice printed by `fully-connected-feed --verbose`.
struct BLASSelectionTests {
    /// The user's OpenBLAS settings, left out of the programs' environment (some machines
    /// set them).
    static let settings = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]

    @Test func withNoSettingTheKernelFollowsTheCPUsFeatures() throws {
        let json = try runProduct("blas-info", ["--json"], removing: Self.settings)
        #expect(json.status == 0, "\(json.stderr)")
        let facts = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let kernel = try #require(facts["kernel"] as? String)
        if let choice = facts["choice"] as? String {
            #expect(kernel.lowercased() == choice.lowercased())
            #expect((facts["selection"] as? String)?.contains("chosenFromFeatures") == true)
        } else {
            #expect((facts["selection"] as? String) == "libraryDetection")
        }
    }

    @Test func aUsersCoreTypeIsRespected() throws {
        let candidates = try runProduct("blas-info", ["--candidates"]).stdout.split(separator: " ").map(String.init)
        let coreType = try #require(candidates.first { $0 != "SKYLAKEX" } ?? candidates.first, "no kernel to try here")
        let run = try runProduct("blas-info", [], environment: ["OPENBLAS_CORETYPE": coreType], removing: ["OPENBLAS_L2_SIZE"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.lowercased().contains("kernel \(coreType.lowercased())"), "\(run.stdout)")
        #expect(run.stdout.contains("set by the environment: OPENBLAS_CORETYPE=\(coreType)"))
    }

    @Test func aUsersL2SizeAloneLeavesTheChoiceToOpenBLAS() throws {
        let run = try runProduct("blas-info", [], environment: ["OPENBLAS_L2_SIZE": "1048576"], removing: ["OPENBLAS_CORETYPE"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("set by the environment: OPENBLAS_L2_SIZE=1048576"), "\(run.stdout)")
    }

    @Test func aKernelComputingWrongProductsIsReplacedWithAWarning() throws {
        let choice = try runProduct("blas-info", ["--json"], removing: Self.settings)
        guard choice.stdout.contains("chosenFromFeatures") else { return }  // nothing chosen on this CPU: no fallback
        let run = try runProduct("blas-info", ["--simulate-wrong-kernel"], removing: Self.settings)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: OpenBLAS's"), "\(run.stderr)")
        #expect(run.stderr.contains("computed a wrong product in the start-up check; using the library's own choice"))
        #expect(run.stdout.contains("OpenBLAS's own detection: the"), "\(run.stdout)")
        #expect(run.stderr.components(separatedBy: "warning:").count == 2, "warned once")
    }

    @Test func fullyConnectedFeedVerboseNamesTheCPUAndKernel() throws {
        let logDirectory = makeTemporaryDirectory("verbose")
        defer { try? FileManager.default.removeItem(atPath: logDirectory) }
        let run = try runProduct(
            "fully-connected-feed", ["--fake-data", "--max-steps", "3", "--verbose", "--log-dir", logDirectory],
            removing: Self.settings)
        #expect(run.status == 0, "\(run.stderr)")
        let info = try runProduct("blas-info", [], removing: Self.settings)
        for line in info.stdout.split(separator: "\n") {
            #expect(run.stdout.contains(line), "missing: \(line)")
        }
    }
}
