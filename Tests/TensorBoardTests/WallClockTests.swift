import Foundation
import Synchronization
import Testing
@testable import TensorBoard

/// The writer's wall clock reads what `CLOCK_REALTIME` reads: every reading lies between
/// two kernel readings taken around it (within a few microseconds), on several threads at
/// once, through the calibration, across many anchors, and after the rate is known.
struct WallClockTests {
    /// How far outside the bracket a reading may fall: the extrapolation's error, far
    /// below a `Double`'s precision in TensorBoard's plots, far above what it should be.
    static let tolerance = 10e-6

    /// `WriterEnvironment.system` lets writers read `WallClock` inline; replacing its clock
    /// takes that away, so the replacement is what writers read.
    @Test func writersReadTheWallClockInlineOnlyWhileItIsTheEnvironmentsClock() throws {
        var environment = WriterEnvironment.system
        guard case .wallClock = environment.writerClock else {
            Issue.record("the system environment's clock is not read inline")
            return
        }
        let before = WallClock.realtime()
        let reading = environment.writerClock.now()
        #expect(reading >= before - Self.tolerance && reading <= WallClock.realtime() + Self.tolerance)
        environment.clock = { 1_234_567.5 }
        #expect(environment.writerClock.now() == 1_234_567.5)
        let directory = NSTemporaryDirectory() + "wall-clock-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try SummaryWriter(logDirectory: directory, environment: environment)
        try writer.add(scalar: 1, tag: "loss", step: 0)
        try writer.close()
        let times = try RunReader(path: directory).scalars(tag: "loss").map(\.wallTime)
        #expect(times == [1_234_567.5])
    }

    @Test func readingsStayBetweenKernelReadings() {
        let outliers = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            let end = WallClock.realtime() + 0.15  // past the calibration, across ~100 anchors
            var checked = 0
            while WallClock.realtime() < end {
                let before = WallClock.realtime()
                let reading = WallClock.now()
                let after = WallClock.realtime()
                checked += 1
                if reading < before - Self.tolerance || reading > after + Self.tolerance {
                    outliers.withLock { $0.append("\(reading) not within [\(before), \(after)] by \(Self.tolerance) s") }
                }
            }
            #expect(checked > 100)
        }
        #expect(outliers.withLock { $0 }.isEmpty)
    }

    @Test func usesTheTickCounterExactlyWhereTheKernelDoes() throws {
        let source = (try? String(contentsOfFile: "/sys/devices/system/clocksource/clocksource0/current_clocksource", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #if arch(x86_64)
        #expect(WallClock.tickAnchors.isEnabled == (source == "tsc"))
        #elseif arch(arm64)
        #expect(WallClock.tickAnchors.isEnabled == (source == "arch_sys_counter"))
        #else
        #expect(!WallClock.tickAnchors.isEnabled)
        #endif
    }

    @Test func theRateIsMeasuredOnceTheBaselineIsOldEnough() {
        guard WallClock.tickAnchors.isEnabled else { return }
        let end = WallClock.realtime() + 3 * WallClock.calibrationSeconds
        while WallClock.realtime() < end { _ = WallClock.now() }
        let rate = Double(bitPattern: WallClock.tickAnchors.secondsPerTick.load(ordering: .relaxed))
        // Every tick counter this runs on ticks between 1 MHz and 10 GHz.
        #expect(rate > 1e-10 && rate < 1e-6, "seconds per tick: \(rate)")
    }
}
