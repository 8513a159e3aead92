import TFRecord

/// A value of a series; a restart drops values by their step.
protocol SeriesElement {
    var step: Int64 { get }
}

/// Where a value was read, for its decoder.
struct ValueSite {
    var step: Int64
    var wallTime: Double
}

extension RunReader {
    /// One pass over the run collecting the values of `tag`, which must be of `kind`, each
    /// decoded by `decode`, in reading order, with restarts applied (`RestartPurge`).
    func series<Element: SeriesElement>(
        tag: String, kind: SummaryKind,
        _ decode: (SummaryValueWire, ValueSite) throws(ValueProblem) -> Element
    ) throws -> [Element] {
        let growth = SeriesGrowth(files: files, sizes: SeriesGrowth.sizes(of: self))
        var pass = SeriesPass<Element>(tag: tag, kind: kind, growth: growth)
        let wanted = Array(tag.utf8)
        try wanted.withUnsafeBytes { wanted in
            try eventFileReader().forEach { view in try pass.read(view, wanted: wanted, decode) }
        }
        guard pass.tagKind != nil else {
            throw RunReaderError.tagNotFound(tag: tag, run: path, available: try tags().values.flatMap { $0 }.sorted())
        }
        return pass.series
    }

    /// The next value of a serialized `Summary` walked by `fields`, or nil after the last.
    /// - Throws: `EventFileError.notAnEvent` when the summary's values are not well-formed.
    @inline(__always)
    static func nextValue(_ fields: inout ProtoFields, _ view: EventRecordView) throws -> SummaryValueWire? {
        do throws(ProtoFields.Malformed) {
            while let field = try fields.next() {
                guard field.number == 1, let range = field.value.range else { continue }
                return try SummaryValueWire(fields.slice(range))
            }
            return nil
        } catch {
            throw EventFileError.notAnEvent(file: view.file, offset: view.offset, reason: "a summary value is not well-formed")
        }
    }

    /// The kind a tag's first value gives it.
    static func kind(of value: SummaryValueWire, _ view: EventRecordView) throws -> SummaryKind {
        do {
            return try value.kind()
        } catch {
            throw EventFileError.notAnEvent(file: view.file, offset: view.offset, reason: "a summary value's metadata is not well-formed")
        }
    }
}

/// The state of one series pass: the values kept so far, the restart rules, and the tag's
/// kind once its first value has been seen.
///
/// This is the reading API's hot loop: records are seen in place, only summary events are
/// opened, the common one-scalar layout is matched without walking its fields, and a value
/// is decoded only when its tag's bytes match. Nothing is allocated per event but the
/// series' own growth, which `SeriesGrowth` sizes from the run's bytes.
struct SeriesPass<Element: SeriesElement> {
    let tag: String
    let kind: SummaryKind
    private(set) var series: [Element] = []
    private(set) var tagKind: SummaryKind?
    private var highestStep = Int64.min
    private var purge = RestartPurge()
    private let growth: SeriesGrowth

    init(tag: String, kind: SummaryKind, growth: SeriesGrowth) {
        self.tag = tag
        self.kind = kind
        self.growth = growth
    }

    /// Takes in one event. The common case, a summary event whose only value is a
    /// `simple_value` (of the tag or another) once the tag's kind is known, is handled here
    /// in a few comparisons; every other event goes to `readInGeneral`, kept out of line so
    /// that this stays small.
    @inline(__always)
    mutating func read(
        _ view: EventRecordView, wanted: UnsafeRawBufferPointer,
        _ decode: (SummaryValueWire, ValueSite) throws(ValueProblem) -> Element
    ) throws {
        guard let what = view.envelope.what else { return }
        if what.field == 5, tagKind != nil {
            let body = UnsafeRawBufferPointer(rebasing: view.payload[what.range])
            switch SummaryValueWire.sole(in: body, tag: wanted) {
            case .value(let value):
                var dropped = false
                return try keep(value, view, purge.summary(step: view.step), &dropped, decode)
            case .otherTag:
                _ = purge.summary(step: view.step)
                return
            case .unknown:
                break
            }
        }
        try readInGeneral(view, what, wanted: wanted, decode)
    }

    /// Takes in any event: file versions, session logs, and summaries walked field by field.
    @inline(never)
    private mutating func readInGeneral(
        _ view: EventRecordView, _ what: EventEnvelope.Member, wanted: UnsafeRawBufferPointer,
        _ decode: (SummaryValueWire, ValueSite) throws(ValueProblem) -> Element
    ) throws {
        let body = UnsafeRawBufferPointer(rebasing: view.payload[what.range])
        switch what.field {
        case 3:
            purge.fileVersion(String(decoding: body, as: UTF8.self))
        case 7:
            if case .everyTag(let from) = purge.sessionLog(status: try Self.sessionStatus(body, view), step: view.step) {
                drop(from: from)
            }
        case 5:
            let drop = purge.summary(step: view.step)
            var dropped = false
            var fields = ProtoFields(body)
            while let value = try RunReader.nextValue(&fields, view) {
                guard value.hasTag(wanted) else { continue }
                if tagKind == nil {
                    let first = try RunReader.kind(of: value, view)
                    guard first == kind else { throw RunReaderError.kindMismatch(tag: tag, requested: kind, found: first) }
                    tagKind = first
                }
                try keep(value, view, drop, &dropped, decode)
            }
        default:
            break
        }
    }

    /// Keeps a value of the tag, after dropping what its event's restart drops.
    @inline(__always)
    private mutating func keep(
        _ value: SummaryValueWire, _ view: EventRecordView, _ restart: RestartPurge.Drop, _ dropped: inout Bool,
        _ decode: (SummaryValueWire, ValueSite) throws(ValueProblem) -> Element
    ) throws {
        if case .eventTags(let from) = restart, !dropped {
            drop(from: from)
            dropped = true
        }
        if series.count == series.capacity { grow(after: view) }
        do throws(ValueProblem) {
            series.append(try decode(value, ValueSite(step: view.step, wallTime: view.wallTime)))
        } catch {
            throw RunReaderError.malformedValue(file: view.file, offset: view.offset, tag: tag, reason: error.reason)
        }
        highestStep = max(highestStep, view.step)
    }

    /// Makes room in the full series for the values the rest of the run likely holds.
    @inline(never)
    private mutating func grow(after view: EventRecordView) {
        let end = view.offset + view.payload.count + RecordFraming.overhead
        series.reserveCapacity(growth.capacity(count: series.count, file: view.file, end: end))
    }

    /// Drops the values with step >= `step`.
    private mutating func drop(from step: Int64) {
        guard highestStep >= step else { return }
        series.removeAll { $0.step >= step }
        highestStep = series.lazy.map(\.step).max() ?? .min
    }

    /// `SessionLog.status` (1 START, 2 STOP, 3 CHECKPOINT) of a serialized `SessionLog`.
    private static func sessionStatus(_ bytes: UnsafeRawBufferPointer, _ view: EventRecordView) throws -> UInt64 {
        var status: UInt64 = 0
        var fields = ProtoFields(bytes)
        do {
            while let field = try fields.next() {
                if field.number == 1, let value = field.value.integer { status = value }
            }
        } catch {
            throw EventFileError.notAnEvent(file: view.file, offset: view.offset, reason: "the session log is not well-formed")
        }
        return status
    }
}
