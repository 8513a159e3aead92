import SwiftProtobuf
import TFProtos

/// A hyperparameter value for TensorBoard's hparams dashboard.
public enum HParamValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
}

/// How an hparams session (one run) ended; written by `SummaryWriter.close(status:)`.
public enum HParamsSessionStatus: Sendable {
    case success, failure, running, unknown
}

extension SummaryWriter {
    /// Records this run's hyperparameters for the hparams dashboard: an experiment naming
    /// the hyperparameters and `metrics` (scalar tags of this run to compare runs by), and
    /// the session's start. `close(status:)` records the session's end.
    ///
    /// - Parameters:
    ///   - hparams: name → value.
    ///   - metrics: scalar tags written by this run, e.g. `["loss", "accuracy"]`.
    ///   - groupName: sessions with the same group name are averaged; defaults to the run.
    public func add(
        hparams: [String: HParamValue], metrics: [String], groupName: String = "", wallTime: Double? = nil
    ) throws {
        guard !hparams.isEmpty else {
            throw SummaryWriterError.invalidArgument("add(hparams:) needs at least one hyperparameter")
        }
        let time = wallTime ?? now()
        var summary = Tensorflow_Summary()
        summary.value = [
            HParamsSummary.value(tag: HParamsSummary.experimentTag) {
                $0.experiment = HParamsSummary.experiment(hparams: hparams, metrics: metrics, time: time)
            },
            HParamsSummary.value(tag: HParamsSummary.sessionStartTag) {
                $0.sessionStartInfo = HParamsSummary.sessionStart(hparams: hparams, groupName: groupName, time: time)
            },
        ]
        try add(summary: summary, step: 0, wallTime: time)
        markHParamsWritten()
    }
}

/// The hparams plugin's three fixed tags, each a null tensor whose metadata content is an
/// `HParamsPluginData`.
enum HParamsSummary {
    static let experimentTag = "_hparams_/experiment"
    static let sessionStartTag = "_hparams_/session_start_info"
    static let sessionEndTag = "_hparams_/session_end_info"

    static func value(tag: String, _ fill: (inout Tensorboard_Hparams_HParamsPluginData) -> Void)
        -> Tensorflow_Summary.Value
    {
        var data = Tensorboard_Hparams_HParamsPluginData()
        fill(&data)
        var value = Tensorflow_Summary.Value()
        value.tag = tag
        value.metadata = PluginMetadata.make(plugin: "hparams", content: (try? data.serializedBytes()) ?? [])
        var nullTensor = Tensorflow_TensorProto()
        nullTensor.dtype = .dtFloat
        nullTensor.tensorShape = TensorProtos.shape([0])
        value.tensor = nullTensor
        return value
    }

    static func experiment(hparams: [String: HParamValue], metrics: [String], time: Double)
        -> Tensorboard_Hparams_Experiment
    {
        var experiment = Tensorboard_Hparams_Experiment()
        experiment.timeCreatedSecs = time
        experiment.hparamInfos = hparams.keys.sorted().map { name in
            var info = Tensorboard_Hparams_HParamInfo()
            info.name = name
            switch hparams[name] {
            case .number: info.type = .float64
            case .string: info.type = .string
            case .bool: info.type = .bool
            case nil: break
            }
            return info
        }
        experiment.metricInfos = metrics.map { tag in
            var info = Tensorboard_Hparams_MetricInfo()
            info.name.tag = tag
            return info
        }
        return experiment
    }

    static func sessionStart(hparams: [String: HParamValue], groupName: String, time: Double)
        -> Tensorboard_Hparams_SessionStartInfo
    {
        var start = Tensorboard_Hparams_SessionStartInfo()
        start.startTimeSecs = time
        start.groupName = groupName
        for (name, value) in hparams {
            var protoValue = Google_Protobuf_Value()
            switch value {
            case .number(let number): protoValue.numberValue = number
            case .string(let string): protoValue.stringValue = string
            case .bool(let bool): protoValue.boolValue = bool
            }
            start.hparams[name] = protoValue
        }
        return start
    }

    static func sessionEndEvent(status: HParamsSessionStatus, at time: Double) -> Tensorflow_Event {
        var event = Tensorflow_Event()
        event.wallTime = time
        event.summary.value = [
            value(tag: sessionEndTag) {
                $0.sessionEndInfo.endTimeSecs = time
                switch status {
                case .success: $0.sessionEndInfo.status = .success
                case .failure: $0.sessionEndInfo.status = .failure
                case .running: $0.sessionEndInfo.status = .running
                case .unknown: $0.sessionEndInfo.status = .unknown
                }
            }
        ]
        return event
    }
}
