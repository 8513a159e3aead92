import Foundation

/// How much room a series pass gives its values when the array is full: as many as the
/// rest of the run holds at the rate the tag's values have come so far, so that a long
/// series is copied about once rather than at every doubling, and never less than double.
///
/// The estimate is bounded by what the run's bytes can hold at the rate already seen, and
/// it is only a capacity: a run that grows while it is read, or a tag that stops, costs at
/// most some unused room, never a wrong value.
struct SeriesGrowth {
    /// Below this many values the array doubles as usual.
    static let estimateAfter = 1024

    private let files: [String]
    /// The size of each file of `files` when the pass began (0 when it cannot be read; the
    /// pass itself reports that).
    private let sizes: [Int]

    init(files: [String], sizes: [Int]) {
        self.files = files
        self.sizes = sizes
    }

    /// The sizes of the run's event files, or of its bytes in memory.
    static func sizes(of reader: RunReader) -> [Int] {
        if let contents = reader.contents { return [contents.count] }
        return reader.files.map { file in
            ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? Int) ?? 0
        }
    }

    /// The capacity to give a full series of `count` values whose last event ended at byte
    /// `end` of `file`.
    func capacity(count: Int, file: String, end: Int) -> Int {
        let doubled = count > Int.max / 2 ? count : count * 2
        guard count >= Self.estimateAfter, let index = files.firstIndex(of: file) else { return doubled }
        let total = sizes.reduce(0, +)
        let read = sizes[..<index].reduce(0, +) + end
        guard read > 0, read < total else { return doubled }
        let (product, overflow) = count.multipliedReportingOverflow(by: total)
        guard !overflow else { return doubled }
        let estimate = product / read
        return max(doubled, estimate + estimate / 16)
    }
}
