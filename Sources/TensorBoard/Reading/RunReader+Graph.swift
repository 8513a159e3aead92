extension RunReader {
    /// The run's graph: the serialized `GraphDef` of its last `graph_def` event (what
    /// TensorBoard's graph dashboard shows; write one per run), or nil when it has none.
    /// Decode it with TensorFlow's `GraphDef` message, or use `graphNodes()`.
    /// - Throws: `EventFileError` for damage.
    public func serializedGraph() throws -> [UInt8]? {
        var graph: [UInt8]?
        try eventFileReader().forEach { view in
            guard let what = view.envelope.what, what.field == 4 else { return }
            graph = Array(view.payload[what.range])
        }
        return graph
    }

    /// The nodes of the run's graph (see `serializedGraph()`), or nil when it has none.
    /// - Throws: `RunReaderError.malformedValue` when the GraphDef is not well-formed;
    ///   `EventFileError` for damage.
    public func graphNodes() throws -> [GraphNode]? {
        guard let graph = try serializedGraph() else { return nil }
        do {
            return try graph.withUnsafeBytes { try GraphNode.nodes(ofGraph: $0) }
        } catch {
            throw RunReaderError.malformedValue(file: path, offset: 0, tag: "__run_graph__", reason: "the GraphDef is not well-formed")
        }
    }
}
