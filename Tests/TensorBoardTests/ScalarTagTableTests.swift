import Foundation
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// The per-tag table behind `add(scalar:)`: the scalars metadata goes on exactly the first
/// value of each tag in the file, however many tags, however they are spelled, and whether
/// the tag first came as a scalar or in a summary.
struct ScalarTagTableTests {
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

    /// `contains`, `find` and `insert` over a tag's UTF-8 bytes, as the writer calls them;
    /// each tag keeps the bytes `kept(for:)` makes of it.
    struct Table {
        let table = ScalarTagTable()
        static func hash(_ tag: String) -> UInt64 {
            var copy = tag
            return copy.withUTF8 { ScalarTagTable.hash($0) }
        }
        func contains(_ tag: String, hash: UInt64? = nil) -> Bool {
            var copy = tag
            return copy.withUTF8 { table.contains($0, hash: hash ?? Self.hash(tag)) }
        }
        func insert(_ tag: String) {
            var copy = tag
            copy.withUTF8 { table.insert($0, hash: Self.hash(tag)) { Self.kept(for: tag) } }
        }
        /// The bytes `find` returns for `tag`, or nil if it is not in the table.
        func found(_ tag: String) -> [UInt8]? {
            var copy = tag
            return copy.withUTF8 { utf8 in
                table.find(utf8, hash: Self.hash(tag)).map { kept in
                    Array(UnsafeRawBufferPointer(start: kept + 8, count: kept.load(as: Int.self)))
                }
            }
        }
        /// What the test keeps with `tag`: lengths 0 to 40, so the kept bytes start after
        /// tags of every padding.
        static func kept(for tag: String) -> [UInt8] {
            Array("kept \(tag)".utf8.prefix(tag.utf8.count % 41))
        }
    }

    @Test func tableKnowsExactlyTheTagsInsertedIntoIt() {
        let table = Table()
        #expect(!table.contains("loss"))
        table.insert("loss")
        table.insert("loss")
        #expect(table.contains("loss"))
        #expect(!table.contains("los") && !table.contains("loss ") && !table.contains(""))
        // Equal hashes are told apart by the tag itself.
        #expect(!table.contains("other", hash: Table.hash("loss")))
        // Growing past the initial table keeps every tag.
        let many = (0..<1000).map { "tag/\($0)" }
        #expect(many.allSatisfy { !table.contains($0) })
        for tag in many { table.insert(tag) }
        #expect(many.allSatisfy { table.contains($0) })
        #expect(many.allSatisfy { table.found($0) == Table.kept(for: $0) })
        #expect(table.contains("loss") && table.found("loss") == Table.kept(for: "loss"))
        #expect(table.found("never") == nil)
        // The kept bytes are made only for a tag that is added.
        var made = 0
        var loss = "loss"
        loss.withUTF8 { table.table.insert($0, hash: Table.hash("loss")) { made += 1; return [] } }
        #expect(made == 0 && table.found("loss") == Table.kept(for: "loss"))
        // A full table stops growing; the writer's set answers for the rest.
        let more = (0..<ScalarTagTable.maximumCount).map { "more/\($0)" }
        for tag in more { table.insert(tag) }
        #expect(more.filter { table.contains($0) }.count == ScalarTagTable.maximumCount - 1001)
        var full = "past/the/limit"
        full.withUTF8 { table.table.insert($0, hash: Table.hash("past/the/limit")) { made += 1; return [] } }
        #expect(made == 0 && !table.contains("past/the/limit"))
    }

    /// Lookups on other threads while tags are inserted and the table grows six times: a tag
    /// whose insertion a reader has seen completed is always found, and a tag never inserted
    /// never is.
    @Test func lookupsWhileInsertingAndGrowing() async {
        let table = Table()
        let tags = (0..<4000).map { "grow/\($0)" }
        let inserted = Counter()
        await withTaskGroup(of: Int.self) { group in
            group.addTask {
                for tag in tags {
                    table.insert(tag)
                    inserted.increment()
                }
                return 0
            }
            for reader in 0..<2 {
                group.addTask {
                    var misses = 0
                    var random = SeededRandom(seed: UInt64(reader) + 1)
                    while inserted.value < tags.count {
                        let known = inserted.value
                        if known > 0 {
                            let tag = tags[Int.random(in: 0..<known, using: &random)]
                            if table.found(tag) != Table.kept(for: tag) { misses += 1 }
                        }
                        if table.contains("never/\(Int.random(in: 0..<100, using: &random))") { misses += 1 }
                    }
                    return misses
                }
            }
            for await misses in group { #expect(misses == 0) }
        }
        #expect(tags.allSatisfy { table.contains($0) })
    }

    /// A counter one thread increments and others read (under a lock, which orders the
    /// reads after the insertions they count).
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }

    @Test func hashUsesEveryByte() {
        func hash(_ string: String) -> UInt64 {
            var copy = string
            return copy.withUTF8 { ScalarTagTable.hash($0) }
        }
        let base = String(repeating: "a", count: 40)
        var middle = Array(base.utf8)
        middle[20] = UInt8(ascii: "b")
        #expect(hash(base) != hash(String(decoding: middle, as: UTF8.self)))
        #expect(hash("") != hash("a") && hash("ab") != hash("ba") && hash("train/loss_000") != hash("train/loss_001"))
    }
}
