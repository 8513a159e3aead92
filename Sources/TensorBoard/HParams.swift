import SwiftProtobuf
import TFProtos

/// A hyperparameter value for TensorBoard's hparams dashboard.
public enum HParamValue: Sendable, Equatable {
    /// A number; must be finite (TensorBoard's hparams dashboard cannot serve NaN or ±inf).
    case number(Double)
    case string(String)
    case bool(Bool)
}

/// The values a hyperparameter ranges over across the runs of an experiment: what
/// TensorBoard's hparams dashboard offers as filters (`HParamInfo.domain_discrete` or
/// `domain_interval`).
public enum HParamDomain: Sendable, Equatable {
    /// A set of values, all of the hyperparameter's type (numbers, strings or bools).
    case discrete([HParamValue])
    /// Numbers from `min` to `max`, inclusive; both finite.
    case interval(min: Double, max: Double)
}

/// How an hparams session (one run) ended; written by `SummaryWriter.close(status:)`.
public enum HParamsSessionStatus: Sendable {
    case success, failure, running, unknown
}

extension SummaryWriter {
    /// Records this run's hyperparameters for the hparams dashboard: an experiment naming
    /// the hyperparameters, their domains and `metrics` (scalar tags of this run to compare
    /// runs by), and the session's start. `close(status:)` records the session's end.
    ///
    /// One call per writer: TensorBoard treats a run as one hparams session, so compare
    /// trials by giving each its own run (log directory) and writer.
    ///
    /// Domains: TensorBoard reads the experiment (hyperparameters, domains, metrics) from
    /// one run only, the first it finds, and filters sessions by its domains. Without
    /// `domains`, a string hyperparameter's domain is its value in this run and a bool's is
    /// `[false, true]`; numbers get none. When runs compare different strings, pass the
    /// same `domains` to every run, naming all values (as TensorFlow's `hp.HParam(name,
    /// hp.Discrete([...]))` does), or the dashboard offers only one run's value.
    ///
    /// - Parameters:
    ///   - hparams: name → value; names non-empty, numbers finite.
    ///   - metrics: scalar tags written by this run, e.g. `["loss", "accuracy"]`; non-empty,
    ///     no repeats.
    ///   - groupName: sessions with the same group name are averaged; defaults to the run.
    ///   - domains: name → the values the hyperparameter takes across the experiment; each
    ///     must hold this run's value and match its type.
    ///   - wallTime: seconds since the epoch, finite; now if nil.
    /// - Throws: `SummaryWriterError.invalidArgument` naming the hyperparameter, metric or
    ///   domain at fault; `.hparamsAlreadyWritten` on a second call (a rejected call does
    ///   not count).
    public func add(
        hparams: [String: HParamValue], metrics: [String], groupName: String = "",
        domains: [String: HParamDomain] = [:], wallTime: Double? = nil
    ) throws {
        try HParamsValidation.check(hparams: hparams, metrics: metrics, domains: domains)
        let time = wallTime ?? now()
        try SummaryValidation.checkWallTime(time)
        var summary = Tensorflow_Summary()
        summary.value = [
            HParamsSummary.value(tag: HParamsSummary.experimentTag) {
                $0.experiment = HParamsSummary.experiment(hparams: hparams, metrics: metrics, domains: domains, time: time)
            },
            HParamsSummary.value(tag: HParamsSummary.sessionStartTag) {
                $0.sessionStartInfo = HParamsSummary.sessionStart(hparams: hparams, groupName: groupName, time: time)
            },
        ]
        try writingHParams {
            try add(summary: summary, step: 0, wallTime: time)
        }
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

    static func experiment(
        hparams: [String: HParamValue], metrics: [String], domains: [String: HParamDomain], time: Double
    ) -> Tensorboard_Hparams_Experiment {
        var experiment = Tensorboard_Hparams_Experiment()
        experiment.timeCreatedSecs = time
        experiment.hparamInfos = hparams.sorted { $0.key < $1.key }.map { name, value in
            var info = Tensorboard_Hparams_HParamInfo()
            info.name = name
            switch value {
            case .number: info.type = .float64
            case .string: info.type = .string
            case .bool: info.type = .bool
            }
            switch domains[name] ?? defaultDomain(of: value) {
            case .discrete(let values)?:
                info.domainDiscrete.values = values.map(protoValue)
            case .interval(let min, let max)?:
                info.domainInterval.minValue = min
                info.domainInterval.maxValue = max
            case nil:
                break
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

    /// Without a given domain: a string's own value, both bools, nothing for numbers.
    static func defaultDomain(of value: HParamValue) -> HParamDomain? {
        switch value {
        case .number: return nil
        case .string: return .discrete([value])
        case .bool: return .discrete([.bool(false), .bool(true)])
        }
    }

    static func protoValue(_ value: HParamValue) -> Google_Protobuf_Value {
        var protoValue = Google_Protobuf_Value()
        switch value {
        case .number(let number): protoValue.numberValue = number
        case .string(let string): protoValue.stringValue = string
        case .bool(let bool): protoValue.boolValue = bool
        }
        return protoValue
    }

    static func sessionStart(hparams: [String: HParamValue], groupName: String, time: Double)
        -> Tensorboard_Hparams_SessionStartInfo
    {
        var start = Tensorboard_Hparams_SessionStartInfo()
        start.startTimeSecs = time
        start.groupName = groupName
        for (name, value) in hparams {
            start.hparams[name] = protoValue(value)
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
