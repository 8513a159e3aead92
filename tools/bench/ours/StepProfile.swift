import Foundation
import TFCore

extension Bench {
    /// Where a training step's time goes, beside its products alone: each iteration runs the
    /// tutorial's step traced (`.fullTrace`), then `gemm-bound`'s 8 products traced, so both
    /// see the same moments of the host. Prints each computation's median time, one JSON line
    /// per computation in plan order (`step-op`; `bound-op`, named MxNxK), then the medians of
    /// their sums (`step-ops-total`, `bound-ops-total`; a step's own work between ops is the
    /// traced step's time less its sum). A diagnostic for the step-over-products row, not a
    /// bench row.
    static func stepProfile(_ arguments: [String]) throws {
        let model = try tutorialModel()
        let count = Int(arguments.first ?? "") ?? 2000
        let (productSession, allProducts, productFeed) = try stepProducts()
        var step = TracedTimes()
        var bound = TracedTimes()
        let traced = try timeBatches(count, model) { session, feed in
            let (_, statistics) = try session.run(fetches: [model.loss], targets: [model.trainOp], feeding: feed, options: .fullTrace)
            step.add(statistics)
            let (_, productStatistics) = try productSession.run(fetches: [], targets: [allProducts], feeding: productFeed, options: .fullTrace)
            bound.add(productStatistics)
        }
        step.report("step-op", total: "step-ops-total", ["traced_step_us": traced.median * 1e3])
        bound.report("bound-op", total: "bound-ops-total", [:])
    }

    /// Each traced computation's times over the runs, and each run's sum.
    private struct TracedTimes {
        var order: [(name: String, type: String, fused: String?)] = []
        var durations: [String: [Double]] = [:]
        var totals: [Double] = []

        mutating func add(_ statistics: StepStatistics?) {
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

        func report(_ name: String, total: String, _ extra: [String: Any]) {
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            for node in order {
                guard let times = durations[node.name], !times.isEmpty else { continue }
                var fields: [String: Any] = ["op": node.name, "type": node.type]
                if let fused = node.fused { fields["fused"] = fused }
                Bench.report(name, median(times), "us", fields)
            }
            if !totals.isEmpty { Bench.report(total, median(totals), "us", extra) }
        }
    }
}
