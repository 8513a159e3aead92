import Foundation
import Testing
@testable import TFCore

/// `ParallelHalves.run` runs both halves, on two threads when the machine has two cores,
/// and returns only when both are done.
struct ParallelHalvesTests {
    @Test func bothHalvesRunAndFinishBeforeReturn() {
        var output = [Int](repeating: 0, count: 2000)
        for round in 1...200 {
            output.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                ParallelHalves.run { half in
                    for i in (half * 1000)..<(half * 1000 + 1000) { base[i] = round * 10_000 + i }
                }
            }
            #expect(output.enumerated().allSatisfy { $0.element == round * 10_000 + $0.offset })
        }
    }

    @Test func halfOneRunsOnTheHelperThreadWhenThereAreTwoCores() throws {
        try #require(ParallelGEMM.shared != nil, "one core: both halves run on the caller")
        // Tests run in parallel: while another test's session holds the helper, both halves
        // run here (the designed fallback). Some attempt must find it free.
        let caller = pthread_self()
        var ranOnHelper = false
        for _ in 0..<10_000 where !ranOnHelper {
            var threads: [pthread_t?] = [nil, nil]
            threads.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                ParallelHalves.run { half in base[half] = pthread_self() }
            }
            #expect(threads[0].map { pthread_equal($0, caller) != 0 } == true)
            ranOnHelper = threads[1].map { pthread_equal($0, caller) == 0 } ?? false
        }
        #expect(ranOnHelper)
    }
}
