/// `ImageSummary` (TensorFlow 1's `tf.summary.image`): the first `max_images` images of a
/// [batch, height, width, channels] float32 tensor (1, 3 or 4 channels) as PNGs,
/// tagged `tag/image/0`, `tag/image/1`, ... (`tag/image` when `max_images` is 1).
package enum ImageSummaryOp: OpDefinition {
    package static let type = "ImageSummary"
    package static func outputShapes(_ op: GraphOperation, _ inputShapes: [[Int]], _ constants: [Tensor?]) throws(ShapeError) -> [[Int]] {
        let shape = inputShapes[1]
        guard shape.count == 4, [1, 3, 4].contains(shape[3]) else {
            throw ShapeError("images must be [batch, height, width, channels] with 1, 3 or 4 channels, got \(shape)")
        }
        return [[]]
    }
}

extension Graph {
    /// An image summary of up to `maxOutputs` images of `images` ([batch, height, width,
    /// channels], float32, 1, 3 or 4 channels). Float images are scaled per image
    /// as `tf.summary.image` does: to [0, 255] by their maximum when none is negative, else
    /// around 128 by their largest magnitude; non-finite pixels become red.
    @discardableResult
    public func imageSummary(_ tag: String, _ images: some OutputConvertible, maxOutputs: Int = 3, name: String? = nil) throws -> Output {
        let images = images.output
        guard images.dtype == .float32 else {
            throw GraphError.invalidArgument("imageSummary \(tag): needs float32 images, got \(images.dtype)")
        }
        guard images.shape.rank == 4, let channels = images.shape.dimensions[3], [1, 3, 4].contains(channels) else {
            throw GraphError.invalidArgument(
                "imageSummary \(tag): images must be [batch, height, width, channels] with 1, 3 or 4 channels, got \(images.shape)")
        }
        guard maxOutputs >= 1 else {
            throw GraphError.invalidArgument("imageSummary \(tag): maxOutputs must be at least 1, got \(maxOutputs)")
        }
        // `bad_color` is left to TensorFlow's default (opaque red), which the kernel uses.
        return try summary(
            ImageSummaryOp.self, tag: tag, images, name: name, tagInput: "tag", attributes: ["max_images": .int(maxOutputs)])
    }
}
