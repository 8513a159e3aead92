#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CTicks
import Synchronization
import TFRecord

/// Seconds since the Unix epoch as `CLOCK_REALTIME` tells them, for less than the cost of
/// asking it each time: the clock of `WriterEnvironment.system`, read once per `add`.
///
/// Where the kernel itself keeps time with the CPU's tick counter (its clock source is `tsc`
/// on x86_64 Linux or `arch_sys_counter` on arm64 Linux, so the counter runs at a constant
/// rate, in step on every core), a reading is an *anchor* (a tick count and the
/// `CLOCK_REALTIME` taken with it) plus the ticks since, at the rate measured between a
/// *baseline* anchor and the newest one. A reading more than `anchorInterval` after its
/// anchor takes a new anchor, so no reading is extrapolated farther than that. The rate is
/// known to about a part in 10^5 once the baseline is `calibrationSeconds` old and better
/// from then on, which keeps readings within a microsecond or so of `CLOCK_REALTIME` (a
/// `Double` at today's epoch seconds resolves about a quarter of one). A step of the system
/// clock (NTP, `settimeofday`) shows from the next anchor on, and a large one restarts the
/// rate measurement. Until the rate is known, and on every other system, each reading is a
/// `clock_gettime` call.
///
/// Like `CLOCK_REALTIME`, the readings are not monotonic: a step of the system clock moves
/// them back, and a new anchor may move them back by the extrapolation's error.
enum WallClock {
    /// The longest extrapolation from an anchor.
    static let anchorInterval = 0.001
    /// The age of the baseline before its rate is used.
    static let calibrationSeconds = 0.01
    /// The most two consecutive rate measurements may differ (as a fraction) while the
    /// baseline stands; more means the system clock was stepped, and the baseline restarts.
    static let rateTolerance = 1e-3
    /// The most time between the two tick readings around a `clock_gettime` for the pair to
    /// make an anchor (a thread preempted in between takes none).
    static let pairTolerance = 2e-6
    /// The pair tolerance in ticks while the rate is unknown.
    static let uncalibratedPairTicks: UInt64 = 20_000

    /// Seconds since the Unix epoch.
    @inline(__always)
    static func now() -> Double {
        guard tickAnchors.isEnabled else { return realtime() }
        let ticks = c_ticks_read()
        let before = tickAnchors.sequence.load(ordering: .acquiring)
        let anchorTicks = tickAnchors.anchorTicks.load(ordering: .relaxed)
        let anchorSeconds = Double(bitPattern: tickAnchors.anchorSeconds.load(ordering: .relaxed))
        let secondsPerTick = Double(bitPattern: tickAnchors.secondsPerTick.load(ordering: .relaxed))
        let reach = tickAnchors.reachTicks.load(ordering: .relaxed)
        atomicMemoryFence(ordering: .acquiring)
        let after = tickAnchors.sequence.load(ordering: .relaxed)
        // A tick count before the anchor wraps around to a huge distance and re-anchors.
        let distance = ticks &- anchorTicks
        if before == after && before & 1 == 0 && distance < reach {
            return anchorSeconds + Double(distance) * secondsPerTick
        }
        return reanchor(tickAnchors)
    }

    /// `CLOCK_REALTIME`, read from the kernel.
    static func realtime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// The shared anchor (a non-copyable value, so a reading takes no reference count).
    static let tickAnchors = TickAnchors(isEnabled: kernelKeepsTimeWithTicks())

    /// Whether the kernel's clock source is the tick counter `c_ticks_read` reads.
    static func kernelKeepsTimeWithTicks() -> Bool {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        guard c_ticks_supported() == 1,
            let bytes = try? PosixFile.readContents("/sys/devices/system/clocksource/clocksource0/current_clocksource")
        else { return false }
        let source = String(decoding: bytes.filter { $0 > 32 }, as: UTF8.self)
        #if arch(x86_64)
        return source == "tsc"
        #else
        return source == "arch_sys_counter"
        #endif
        #else
        return false
        #endif
    }

    /// Takes a `CLOCK_REALTIME` reading and, unless another thread is doing so or the pair
    /// is too loose, makes it the anchor (measuring the rate against the baseline).
    @inline(never)
    static func reanchor(_ anchors: borrowing TickAnchors) -> Double {
        let start = c_ticks_read()
        let seconds = realtime()
        let end = c_ticks_read()
        let sequence = anchors.sequence.load(ordering: .relaxed)
        guard sequence & 1 == 0,
            anchors.sequence.compareExchange(expected: sequence, desired: sequence &+ 1, ordering: .acquiring).exchanged
        else { return seconds }
        defer { anchors.sequence.store(sequence &+ 2, ordering: .releasing) }

        let knownRate = Double(bitPattern: anchors.secondsPerTick.load(ordering: .relaxed))
        let gap = end &- start
        let pairIsTight = knownRate > 0 ? Double(gap) * knownRate <= pairTolerance : gap <= uncalibratedPairTicks
        guard end >= start, pairIsTight else { return seconds }
        let ticks = start &+ gap / 2

        var rate = knownRate
        let baselineTicks = anchors.baselineTicks.load(ordering: .relaxed)
        let baselineSeconds = Double(bitPattern: anchors.baselineSeconds.load(ordering: .relaxed))
        let elapsed = seconds - baselineSeconds
        if baselineTicks == 0 || ticks <= baselineTicks || elapsed < 0 {
            rate = 0
            anchors.baselineTicks.store(ticks, ordering: .relaxed)
            anchors.baselineSeconds.store(seconds.bitPattern, ordering: .relaxed)
        } else if elapsed >= calibrationSeconds {
            let measured = elapsed / Double(ticks - baselineTicks)
            if knownRate == 0 || abs(measured - knownRate) <= knownRate * rateTolerance {
                rate = measured
            } else {
                rate = 0
                anchors.baselineTicks.store(ticks, ordering: .relaxed)
                anchors.baselineSeconds.store(seconds.bitPattern, ordering: .relaxed)
            }
        }
        anchors.anchorTicks.store(ticks, ordering: .relaxed)
        anchors.anchorSeconds.store(seconds.bitPattern, ordering: .relaxed)
        anchors.secondsPerTick.store(rate.bitPattern, ordering: .relaxed)
        anchors.reachTicks.store(rate > 0 ? UInt64(anchorInterval / rate) : 0, ordering: .relaxed)
        return seconds
    }
}

/// The anchor every thread reads, under a sequence lock: writers (one at a time) make the
/// sequence odd, store, and make it even again; a reader that sees the same even sequence
/// before and after its loads has a consistent anchor, and otherwise asks the kernel.
struct TickAnchors: ~Copyable, Sendable {
    /// Whether readings use the tick counter at all (false: every reading is `clock_gettime`).
    let isEnabled: Bool
    /// Even while the anchor is stable, odd while a thread replaces it.
    let sequence = Atomic<UInt64>(0)
    let anchorTicks = Atomic<UInt64>(0)
    /// A `Double`'s bit pattern.
    let anchorSeconds = Atomic<UInt64>(0)
    /// A `Double`'s bit pattern; 0 while the rate is unknown.
    let secondsPerTick = Atomic<UInt64>(0)
    /// How many ticks past the anchor a reading may extrapolate (0 while the rate is unknown).
    let reachTicks = Atomic<UInt64>(0)
    /// The anchor the rate is measured from (written holding the odd sequence).
    let baselineTicks = Atomic<UInt64>(0)
    let baselineSeconds = Atomic<UInt64>(0)

    init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }
}
