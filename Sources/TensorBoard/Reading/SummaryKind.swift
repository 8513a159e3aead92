/// What a tag holds, as TensorBoard decides it: by the tag's first value in the run. A
/// `simple_value` is a scalar, a `HistogramProto` a histogram, a `Summary.Image` an image,
/// a `Summary.Audio` audio; a tensor is what its metadata's plugin name says.
public enum SummaryKind: Hashable, Sendable, CustomStringConvertible {
    /// Scalars (`simple_value`, or tensors of plugin `scalars`).
    case scalars
    /// Histograms (`HistogramProto`, or `[k, 3]` tensors of plugin `histograms`).
    case histograms
    /// Images (`Summary.Image`, or string tensors of plugin `images`).
    case images
    /// Audio (`Summary.Audio`, or string tensors of plugin `audio`).
    case audio
    /// Text (string tensors of plugin `text`).
    case text
    /// Tensors of another plugin (`hparams`, `pr_curves`, `mesh`, …), or of none (`""`: a
    /// tag whose first value names no plugin, which TensorBoard shows on no dashboard).
    case other(plugin: String)

    /// The kind of tensors whose metadata names `plugin`.
    init(plugin: String) {
        switch plugin {
        case "scalars": self = .scalars
        case "histograms": self = .histograms
        case "images": self = .images
        case "audio": self = .audio
        case "text": self = .text
        default: self = .other(plugin: plugin)
        }
    }

    /// The plugin name TensorBoard files the tag under (`""` for a tensor with none).
    public var plugin: String {
        switch self {
        case .scalars: return "scalars"
        case .histograms: return "histograms"
        case .images: return "images"
        case .audio: return "audio"
        case .text: return "text"
        case .other(let plugin): return plugin
        }
    }

    public var description: String {
        switch self {
        case .other(""): return "tensors without a plugin"
        case .other(let plugin): return "\(plugin) tensors"
        default: return plugin
        }
    }
}
