import Foundation
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// The per-tag cache behind `add(scalar:)`: the scalars metadata goes on exactly the first
/// value of each tag in the file, however many tags, however they are spelled, and whether
/// the tag first came as a scalar or in a summary.
struct ScalarTagCacheTests {
    /// Tags that stress the cache: small and heap-allocated strings, equal hashes' worth of
    /// shared prefixes and suffixes, a one-character tag, non-ASCII.
    static func tags(_ count: Int) -> [String] {
        (0..<count).map { index in
            switch index % 4 {
            case 0: "train/loss_\(index)"
            case 1: "a/very/long/tag/name/that/is/not/a/small/string/\(index)/end"
            case 2: "x\(index)" + String(repeating: "m", count: index % 40) + "y"
            default: index == 3 ? "z" : "標籤/\(index)"
            }
        }
    }

    @Test func metadataOnlyOnEachTagsFirstValueAcrossThousandsOfTags() throws {
        let tags = Self.tags(5_000)  // more than the cache keeps: the rest go through the set
        let writer = try makeWriter()
        for round in 0..<3 {
            for tag in tags {
                // A fresh copy each time, so equal tags rarely share storage.
                try writer.add(scalar: Float(round), tag: String(decoding: Array(tag.utf8), as: UTF8.self), step: round)
            }
        }
        try writer.close()
        let values = try summaryEvents(of: writer).map { $0.decoded.summary.value[0] }
        #expect(values.count == 3 * tags.count)
        var seen: Set<String> = []
        for value in values {
            let first = seen.insert(value.tag).inserted
            #expect(value.hasMetadata == first, "\(value.tag)")
            if first { #expect(value.metadata.pluginData.pluginName == "scalars") }
        }
        #expect(seen == Set(tags))
    }

    @Test func summariesAndScalarsShareTheFirstValue() throws {
        let writer = try makeWriter()
        var summary = Tensorflow_Summary()
        var item = Tensorflow_Summary.Value()
        item.tag = "from_summary"
        item.simpleValue = 1
        item.metadata = PluginMetadata.make(plugin: "scalars")
        summary.value = [item]
        try writer.add(summary: summary, step: 0)
        try writer.add(scalar: 2, tag: "from_summary", step: 1)
        try writer.add(scalar: 3, tag: "from_scalar", step: 0)
        item.tag = "from_scalar"
        summary.value = [item]
        try writer.add(summary: summary, step: 1)
        try writer.close()
        let values = try summaryEvents(of: writer).map { $0.decoded.summary.value[0] }
        #expect(values.map(\.tag) == ["from_summary", "from_summary", "from_scalar", "from_scalar"])
        #expect(values.map(\.hasMetadata) == [true, false, true, false])
    }

    @Test func cacheKnowsExactlyTheTagsInsertedIntoIt() {
        var cache = ScalarTagCache()
        func hash(_ tag: String) -> UInt64 {
            var copy = tag
            return copy.withUTF8 { ScalarTagCache.hash($0) }
        }
        #expect(!cache.contains("loss", hash: hash("loss")))
        cache.insert("loss", hash: hash("loss"))
        cache.insert("loss", hash: hash("loss"))
        #expect(cache.contains("loss", hash: hash("loss")))
        #expect(!cache.contains("los", hash: hash("los")))
        // Equal hashes are told apart by the tag itself.
        #expect(!cache.contains("other", hash: hash("loss")))
        // Growing past the initial table keeps every tag.
        let many = (0..<1000).map { "tag/\($0)" }
        #expect(many.allSatisfy { !cache.contains($0, hash: hash($0)) })
        for tag in many { cache.insert(tag, hash: hash(tag)) }
        #expect(many.allSatisfy { cache.contains($0, hash: hash($0)) })
        #expect(cache.contains("loss", hash: hash("loss")))
        // A full cache stops growing; the writer's set answers for the rest.
        let more = (0..<ScalarTagCache.maximumCount).map { "more/\($0)" }
        for tag in more { cache.insert(tag, hash: hash(tag)) }
        #expect(more.filter { cache.contains($0, hash: hash($0)) }.count == ScalarTagCache.maximumCount - 1001)
    }

    @Test func hashUsesEveryByte() {
        func hash(_ string: String) -> UInt64 {
            var copy = string
            return copy.withUTF8 { ScalarTagCache.hash($0) }
        }
        let base = String(repeating: "a", count: 40)
        var middle = Array(base.utf8)
        middle[20] = UInt8(ascii: "b")
        #expect(hash(base) != hash(String(decoding: middle, as: UTF8.self)))
        #expect(hash("") != hash("a") && hash("ab") != hash("ba") && hash("train/loss_000") != hash("train/loss_001"))
    }
}
