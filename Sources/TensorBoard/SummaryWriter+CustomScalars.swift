import TFProtos

/// The charts of TensorBoard's Custom Scalars dashboard: categories of charts, each chart
/// either several scalar tags in one plot or a value with its lower and upper margins.
public struct CustomScalarsLayout: Sendable, Equatable {
    /// One chart.
    public enum Chart: Sendable, Equatable {
        /// Every scalar tag matching one of `tags` (regular expressions) in one plot.
        case multiline(title: String, tags: [String])
        /// Each series a line (tag `value`) with a band from tag `lower` to tag `upper`.
        case margin(title: String, series: [MarginSeries])
    }

    /// The three scalar tags of a margin chart's series.
    public struct MarginSeries: Sendable, Equatable {
        public var value: String
        public var lower: String
        public var upper: String

        public init(value: String, lower: String, upper: String) {
            self.value = value
            self.lower = lower
            self.upper = upper
        }
    }

    /// A titled group of charts; `closed` collapses it when the dashboard opens.
    public struct Category: Sendable, Equatable {
        public var title: String
        public var charts: [Chart]
        public var closed: Bool

        public init(title: String, charts: [Chart], closed: Bool = false) {
            self.title = title
            self.charts = charts
            self.closed = closed
        }
    }

    public var categories: [Category]

    public init(categories: [Category]) {
        self.categories = categories
    }

    /// The layout's protobuf (`tensorboard.Layout`).
    /// - Throws: `SummaryWriterError.invalidArgument` for no categories, an empty title, a
    ///   category without charts, a chart without tags or series, or an empty tag.
    func proto() throws(SummaryWriterError) -> Tensorboard_Layout {
        guard !categories.isEmpty else { throw .invalidArgument("a custom scalars layout needs at least one category") }
        var layout = Tensorboard_Layout()
        for category in categories {
            guard !category.title.isEmpty, !category.charts.isEmpty else {
                throw .invalidArgument(
                    "custom scalars category \(SummaryValidation.quoted(category.title)) needs a non-empty title and "
                        + "at least one chart")
            }
            var categoryProto = Tensorboard_Category()
            categoryProto.title = category.title
            categoryProto.closed = category.closed
            for chart in category.charts { categoryProto.chart.append(try Self.proto(chart, in: category.title)) }
            layout.category.append(categoryProto)
        }
        return layout
    }

    private static func proto(_ chart: Chart, in category: String) throws(SummaryWriterError) -> Tensorboard_Chart {
        var proto = Tensorboard_Chart()
        switch chart {
        case .multiline(let title, let tags):
            guard !title.isEmpty, !tags.isEmpty, !tags.contains("") else {
                throw .invalidArgument(
                    "multiline chart \(SummaryValidation.quoted(title)) in category \(SummaryValidation.quoted(category)) "
                        + "needs a non-empty title and at least one non-empty tag (regular expression)")
            }
            proto.title = title
            proto.multiline.tag = tags
        case .margin(let title, let series):
            let complete = series.allSatisfy { !$0.value.isEmpty && !$0.lower.isEmpty && !$0.upper.isEmpty }
            guard !title.isEmpty, !series.isEmpty, complete else {
                throw .invalidArgument(
                    "margin chart \(SummaryValidation.quoted(title)) in category \(SummaryValidation.quoted(category)) "
                        + "needs a non-empty title and at least one series whose value, lower and upper tags are all non-empty")
            }
            proto.title = title
            proto.margin.series = series.map {
                var item = Tensorboard_MarginChartContent.Series()
                item.value = $0.value
                item.lower = $0.lower
                item.upper = $0.upper
                return item
            }
        }
        return proto
    }
}

extension SummaryWriter {
    /// The tag TensorBoard's custom scalars plugin reads its layout from.
    public static let customScalarsTag = "custom_scalars__config__"

    /// Sets the run's Custom Scalars dashboard layout (plugin `custom_scalars`; the value, at
    /// step 0, is a rank-0 string tensor holding the serialized `Layout`, as tensorboardX's
    /// `add_custom_scalars` writes it). TensorBoard merges the layouts of all runs by
    /// category title; a later call replaces this run's.
    /// - Throws: `SummaryWriterError.invalidArgument` for an incomplete layout (see
    ///   `CustomScalarsLayout`), or the writer's own failures.
    public func add(customScalarsLayout layout: CustomScalarsLayout, wallTime: Double? = nil) throws {
        var value = Tensorflow_Summary.Value()
        value.tag = Self.customScalarsTag
        value.metadata = PluginMetadata.make(plugin: "custom_scalars")
        value.tensor = TensorProtos.strings([try layout.proto().serializedBytes()], shape: [])
        var summary = Tensorflow_Summary()
        summary.value = [value]
        try add(summary: summary, step: 0, wallTime: wallTime)
    }
}
