import ArgumentParser
import TFProtos
import TensorBoard

/// `tfevents inspect`: what each run holds, like `tensorboard --inspect`.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List runs, tags, kinds, step ranges and counts.")

    @Argument(help: "Log directories or event files.")
    var paths: [String]

    func run() throws {
        for (run, files) in try runs(in: paths) {
            var tags: [String: TagStatistics] = [:]
            var order: [String] = []
            var events = 0
            var graphs = 0
            var sessionLogs: [String] = []
            var problems: [String] = []
            for file in files {
                let reader = try EventFileReader(path: file, tail: .tolerateTruncatedTail)
                do {
                    while let record = try reader.next() {
                        events += 1
                        let event = try record.event()
                        switch event.what {
                        case .graphDef: graphs += 1
                        case .sessionLog(let log): sessionLogs.append("\(log.status) at step \(event.step)")
                        case .summary(let summary):
                            for value in summary.value {
                                if tags[value.tag] == nil {
                                    order.append(value.tag)
                                    tags[value.tag] = TagStatistics(kind: kind(of: value))
                                }
                                tags[value.tag]?.add(step: event.step)
                            }
                        default: break
                        }
                    }
                } catch EventFileError.record(_, .io(let error)) {
                    throw ToolError("\(error)")  // unreadable: an error, not a report line
                } catch {
                    problems.append("\(error)")
                }
                problems += reader.truncatedTails.map { "\($0.file): \($0.error)" }
            }
            print("run \(run): \(files.count) file\(files.count == 1 ? "" : "s"), \(events) events")
            let width = order.map(\.count).max() ?? 0
            for tag in order.sorted() {
                guard let statistics = tags[tag] else { continue }
                let padded = tag.padding(toLength: max(width, 1), withPad: " ", startingAt: 0)
                print("  \(statistics.kind.padding(toLength: 10, withPad: " ", startingAt: 0)) \(padded)  "
                    + "\(statistics.count) values, steps \(statistics.minStep)..\(statistics.maxStep)")
            }
            if graphs > 0 { print("  graph      \(graphs) graph_def event\(graphs == 1 ? "" : "s")") }
            for log in sessionLogs { print("  session    \(log)") }
            for problem in problems { print("  problem    \(problem)") }
        }
    }

    private func kind(of value: Tensorflow_Summary.Value) -> String {
        switch value.value {
        case .simpleValue: return "scalars"
        case .histo: return "histograms"
        case .image: return "images"
        case .audio: return "audio"
        default:
            let plugin = value.metadata.pluginData.pluginName
            return plugin.isEmpty ? "tensor" : plugin
        }
    }
}

private struct TagStatistics {
    var kind: String
    var count = 0
    var minStep = Int64.max
    var maxStep = Int64.min

    mutating func add(step: Int64) {
        count += 1
        minStep = min(minStep, step)
        maxStep = max(maxStep, step)
    }
}
