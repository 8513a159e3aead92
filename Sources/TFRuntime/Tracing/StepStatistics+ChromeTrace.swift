import Foundation

extension StepStatistics {
    /// The statistics as a Chrome trace (the JSON object format that Perfetto and
    /// chrome://tracing open): one complete event (`"ph": "X"`) per op, timestamps in
    /// microseconds since the step's first op, named by op type with the node name, outputs
    /// and bytes as arguments.
    public func chromeTrace() throws -> Data {
        let origin = nodes.first?.startNanoseconds ?? 0
        var events: [TraceEvent] = [
            TraceEvent(name: "process_name", ph: "M", pid: 0, tid: 0, ts: nil, dur: nil, cat: nil, args: ["name": Self.device])
        ]
        for node in nodes {
            var args = [
                "name": node.name,
                "op": node.type,
                "outputs": node.outputs.map { "\($0.dtype)\($0.shape) \($0.bytes) bytes" }.joined(separator: ", "),
                "allocated_bytes": String(node.allocatedBytes),
            ]
            if let fused = node.fusedLabel { args["fused"] = fused }
            events.append(
                TraceEvent(
                    name: node.type, ph: "X", pid: 0, tid: 0,
                    ts: Double(node.startNanoseconds - origin) / 1000,
                    dur: Double(node.endNanoseconds - node.startNanoseconds) / 1000, cat: "Op", args: args))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(ChromeTrace(traceEvents: events, displayTimeUnit: "ns"))
    }
}

private struct ChromeTrace: Encodable {
    let traceEvents: [TraceEvent]
    let displayTimeUnit: String
}

private struct TraceEvent: Encodable {
    let name: String
    let ph: String
    let pid: Int
    let tid: Int
    let ts: Double?
    let dur: Double?
    let cat: String?
    let args: [String: String]
}
