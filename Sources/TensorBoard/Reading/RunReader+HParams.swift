import struct Foundation.Data
import SwiftProtobuf
import TFProtos

extension RunReader {
    /// The run's hyperparameters, as TensorBoard's hparams dashboard reads them: from the
    /// session start (`_hparams_/session_start_info`, written by `SummaryWriter.add(hparams:)`,
    /// TensorBoard's `hp.hparams` and tensorboardX's `add_hparams`); the last one when
    /// there are several. Nil when the run records none. Values that are neither numbers,
    /// strings nor booleans are left out.
    /// - Throws: `RunReaderError.malformedValue` when the session start does not decode;
    ///   `EventFileError` for damage.
    public func hparams() throws -> [String: HParamValue]? {
        let starts: [SessionStart]
        do {
            starts = try series(tag: "_hparams_/session_start_info", kind: .other(plugin: "hparams")) {
                (value, site) throws(ValueProblem) in
                SessionStart(step: site.step, hparams: try Self.sessionStartHParams(value))
            }
        } catch RunReaderError.tagNotFound {
            return nil
        }
        return starts.last?.hparams
    }

    private struct SessionStart: SeriesElement {
        var step: Int64
        var hparams: [String: HParamValue]
    }

    /// `SummaryMetadata.plugin_data.content`, an `HParamsPluginData`, decoded.
    private static func sessionStartHParams(_ value: SummaryValueWire) throws(ValueProblem) -> [String: HParamValue] {
        guard let metadata = value.metadata else { throw ValueProblem("the session start has no metadata") }
        let data: Tensorboard_Hparams_HParamsPluginData
        do {
            let outer = try Tensorflow_SummaryMetadata(serializedBytes: Data(metadata))
            data = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: outer.pluginData.content)
        } catch {
            throw ValueProblem("the session start does not decode: \(error)")
        }
        var hparams: [String: HParamValue] = [:]
        for (name, value) in data.sessionStartInfo.hparams {
            switch value.kind {
            case .numberValue(let number): hparams[name] = .number(number)
            case .stringValue(let text): hparams[name] = .string(text)
            case .boolValue(let flag): hparams[name] = .bool(flag)
            default: break
            }
        }
        return hparams
    }
}
