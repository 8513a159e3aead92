import Foundation
import Testing
import TFCore
@testable import TFCheckpoint
import TestSupport

/// Issue 6's damage trials for checkpoints: 10 000 seeded byte flips and truncations of a
/// real tutorial checkpoint (both files). Whatever changes a variable's bytes is detected
/// and names that variable (data file) or the index; nothing traps; a flip that changes no
/// stored value (footer padding) may pass, and then every value reads back unchanged.
struct CheckpointDamageTests {
    @Test func tenThousandSeededFlipsAndTruncationsOfACheckpointAreDetected() throws {
        let (model, session) = try CheckpointTests.trainedSession()
        let prefix = try Saver(graph: model.graph).save(session, prefix: makeTemporaryDirectory("ckpt-damage") + "/model.ckpt")
        let index = try readFileBytes(prefix + ".index")
        let data = try readFileBytes(prefix + ".data-00000-of-00001")
        let original = try CheckpointReader(index: index, data: data)
        let names = original.variables.keys.sorted()
        let values = try Dictionary(uniqueKeysWithValues: names.map { ($0, try original.bytes($0)) })
        #expect(names.count == 7)  // 3 weights, 3 biases, global_step
        /// The variable whose bytes hold data offset `offset`.
        func owner(of offset: Int) -> String? {
            names.first { name in
                let entry = original.variables[name]!
                return Int(entry.offset) <= offset && offset < Int(entry.offset + entry.size)
            }
        }

        var generator = SeededRandom(seed: 66)
        var detected = 0
        for trial in 0..<10_000 {
            var damagedIndex = index
            var damagedData = data
            let inData = generator.next() % 2 == 0
            let truncate = trial % 4 == 3
            var target = inData ? damagedData : damagedIndex
            let position = Int(generator.next() % UInt64(target.count))
            if truncate {
                target.removeSubrange(position...)
            } else {
                target[position] ^= UInt8(1 + generator.next() % 255)
            }
            if inData { damagedData = target } else { damagedIndex = target }

            let reader: CheckpointReader
            do {
                reader = try CheckpointReader(index: damagedIndex, data: damagedData)
            } catch {
                guard case .corruptIndex = error else {
                    Issue.record("trial \(trial): index damage reported as \(error)")
                    continue
                }
                #expect(!inData, "trial \(trial): data damage rejected the index")
                detected += 1
                continue
            }
            var changed = false
            for name in names {
                do {
                    let bytes = try reader.bytes(name)
                    #expect(bytes == values[name], "trial \(trial): \(name) read back different bytes without an error")
                } catch {
                    changed = true
                    if inData && !truncate {
                        #expect(error == .corruptData(name, reason: "checksum does not match") && owner(of: position) == name,
                                "trial \(trial): flip at data offset \(position) reported as \(error)")
                    }
                }
            }
            if changed {
                detected += 1
            } else if inData {
                // A data flip or truncation always lands in some variable's bytes (the file
                // is exactly their concatenation), so it must have been seen.
                Issue.record("trial \(trial): data damage at \(position) not detected")
            }
        }
        #expect(detected > 9_000, "only \(detected) of 10 000 trials detected")
    }
}
