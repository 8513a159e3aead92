import Foundation
import TFCore

extension Bench {
    /// Where a training step's time goes: the tutorial's step run traced (`.fullTrace`),
    /// each computation's median time over the steps, one JSON line per computation in plan
    /// order (`step-op`), then the median of their sum and of the whole traced step
    /// (`step-ops-total`; the difference is the plan's own work between ops); then the same
    /// for `gemm-bound`'s 8 products alone (`bound-op`, named MxNxK, and `bound-ops-total`).
    /// A diagnostic for the step-over-products row, not a bench row.
    static func stepProfile(_ arguments: [String]) throws {
        let model = try tutorialModel()
        let count = Int(arguments.first ?? "") ?? 2000
        var durations: [String: [Double]] = [:]
        var order: [(name: String, type: String, fused: String?)] = []
        var totals: [Double] = []
        let traced = try timeBatches(count, model) { session, feed in
            let (_, statistics) = try session.run(fetches: [model.loss], targets: [model.trainOp], feeding: feed, options: .fullTrace)
            guard let nodes = statistics?.nodes else { return }
            if order.isEmpty { order = nodes.map { ($0.name, $0.type, $0.fusedLabel) } }
            var total = 0.0
            for node in nodes {
                let microseconds = Double(node.endNanoseconds - node.startNanoseconds) / 1e3
                durations[node.name, default: []].append(microseconds)
                total += microseconds
            }
            totals.append(total)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        for node in order {
            guard let times = durations[node.name], !times.isEmpty else { continue }
            var extra: [String: Any] = ["op": node.name, "type": node.type]
            if let fused = node.fused { extra["fused"] = fused }
            report("step-op", median(times), "us", extra)
        }
        report("step-ops-total", median(totals), "us", ["traced_step_us": traced.median * 1e3])

        let (session, all, feed) = try stepProducts()
        var productTimes: [String: [Double]] = [:]
        var productOrder: [String] = []
        var productTotals: [Double] = []
        for run in 0..<(count + 200) {
            let (_, statistics) = try session.run(fetches: [], targets: [all], feeding: feed, options: .fullTrace)
            guard run >= 200, let nodes = statistics?.nodes else { continue }
            if productOrder.isEmpty { productOrder = nodes.map(\.name) }
            var total = 0.0
            for node in nodes {
                let microseconds = Double(node.endNanoseconds - node.startNanoseconds) / 1e3
                productTimes[node.name, default: []].append(microseconds)
                total += microseconds
            }
            productTotals.append(total)
        }
        for name in productOrder { report("bound-op", median(productTimes[name] ?? [0]), "us", ["op": name]) }
        report("bound-ops-total", median(productTotals), "us")
    }
}
