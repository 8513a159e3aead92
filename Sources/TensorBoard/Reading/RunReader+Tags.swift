extension RunReader {
    /// Every tag of the run, grouped by kind (each list sorted), as TensorBoard's
    /// dashboards would list them:
    ///
    ///     let tags = try RunReader(path: "runs/exp1").tags()
    ///     #expect(tags[.scalars] == ["accuracy", "loss"])
    ///
    /// A tag's kind is that of its first value (see `SummaryKind`).
    /// - Throws: `EventFileError` for damage, with the file and byte offset.
    public func tags() throws -> [SummaryKind: [String]] {
        var kinds: [String: SummaryKind] = [:]
        try eventFileReader().forEach { view in
            guard let what = view.envelope.what, what.field == 5 else { return }
            let body = UnsafeRawBufferPointer(rebasing: view.payload[what.range])
            var fields = ProtoFields(body)
            while let value = try Self.nextValue(&fields, view) {
                let tag = value.tagString
                if kinds[tag] == nil { kinds[tag] = try Self.kind(of: value, view) }
            }
        }
        return Dictionary(grouping: kinds.keys.sorted()) { kinds[$0] ?? .other(plugin: "") }
    }
}
