import Foundation
import Synchronization
import Testing
import TFCore
@testable import TFRuntime

/// `Session.runInHalves` runs both halves, on the session's own helper thread when the
/// machine has two cores, and returns only when both are done; the helper thread ends
/// with its session.
struct SessionRunInHalvesTests {
    @Test func bothHalvesRunAndFinishBeforeReturn() {
        let session = Session(graph: Graph())
        var output = [Int](repeating: 0, count: 2000)
        for round in 1...200 {
            output.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                session.runInHalves { half in
                    for i in (half * 1000)..<(half * 1000 + 1000) { base[i] = round * 10_000 + i }
                }
            }
            #expect(output.enumerated().allSatisfy { $0.element == round * 10_000 + $0.offset })
        }
    }

    /// While the caller's half is still running, the helper thread takes half 1.
    @Test func halfOneRunsOnTheSessionsHelperThread() throws {
        try #require(ProcessInfo.processInfo.activeProcessorCount >= 2, "one core: both halves run on the caller")
        let session = Session(graph: Graph())
        let caller = pthread_self()
        for _ in 0..<100 {
            var threads: [pthread_t?] = [nil, nil]
            let halfOneDone = Atomic<Bool>(false)
            threads.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                session.runInHalves { half in
                    base[half] = pthread_self()
                    if half == 1 {
                        halfOneDone.store(true, ordering: .releasing)
                        return
                    }
                    // Half 0 lasts until half 1 has run (or 5 s pass), so the helper takes it.
                    let deadline = DispatchTime.now().uptimeNanoseconds + 5_000_000_000
                    while !halfOneDone.load(ordering: .acquiring) && DispatchTime.now().uptimeNanoseconds < deadline {}
                }
            }
            #expect(threads[0].map { pthread_equal($0, caller) != 0 } == true)
            #expect(threads[1].map { pthread_equal($0, caller) == 0 } == true)
        }
    }

    /// A caller done with its half before the helper has taken the other (here: the helper
    /// asleep after a pause, the caller's half empty) runs it itself instead of waiting for
    /// the helper's wake-up; both halves still run exactly once.
    @Test func aCallerDoneFirstTakesTheOtherHalfBack() throws {
        try #require(ProcessInfo.processInfo.activeProcessorCount >= 2, "one core: both halves run on the caller")
        let session = Session(graph: Graph())
        let caller = pthread_self()
        var takenBack = 0
        for _ in 0..<20 {
            usleep(20_000)  // long enough for the helper to stop spinning and sleep
            var runs: [(half: Int, thread: pthread_t)] = []
            let lock = NSLock()
            session.runInHalves { half in
                lock.lock()
                runs.append((half, pthread_self()))
                lock.unlock()
            }
            #expect(runs.map(\.half).sorted() == [0, 1])
            if runs.allSatisfy({ pthread_equal($0.thread, caller) != 0 }) { takenBack += 1 }
        }
        #expect(takenBack > 0, "a sleeping helper's half was never taken back in 20 rounds")
    }

    @Test func withOpenBLASThreadingBothHalvesRunOnTheCaller() {
        let session = Session(graph: Graph(), blasThreads: 1)
        let caller = pthread_self()
        var threads: [pthread_t?] = [nil, nil]
        threads.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            session.runInHalves { half in base[half] = pthread_self() }
        }
        #expect(threads.allSatisfy { $0.map { pthread_equal($0, caller) != 0 } == true })
    }

    /// Sessions come and go in a program (one per evaluation, per test); their helper
    /// threads must not pile up.
    @Test func theHelperThreadEndsWithItsSession() async throws {
        try #require(ProcessInfo.processInfo.activeProcessorCount >= 2, "one core: no helper thread")
        let before = helperThreadCount()
        for _ in 0..<20 {
            let session = Session(graph: Graph())
            session.runInHalves { _ in }
        }
        // Each helper finishes its exit after its session's deinit returns.
        var after = helperThreadCount()
        for _ in 0..<200 where after > before {
            try await Task.sleep(nanoseconds: 10_000_000)
            after = helperThreadCount()
        }
        #expect(after <= before, "\(after - before) helper threads outlived their sessions")
    }

    /// Threads of this process named "ParallelGEMM" (Linux: /proc/self/task/*/comm).
    private func helperThreadCount() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            return name?.hasPrefix("ParallelGEMM") == true
        }.count
    }
}
