import TFGraph
import TFProtos
import TensorBoard
import struct Foundation.Data

/// The kernel of `ImageSummary`: the first `max_images` images of a float32 [batch, height,
/// width, channels] tensor, each scaled to bytes as TensorFlow's op does and PNG-encoded.
enum ImageSummaryKernel: OpKernel {
    static let opType = ImageSummaryOp.type
    static func makeKernel(_ op: GraphOperation, _ inputs: [TensorBuffer], _ outputs: [TensorBuffer], _ context: KernelContext)
        throws -> Kernel?
    {
        let (tags, images, output) = (inputs[0], inputs[1], outputs[0])
        let shape = images.shape
        let name = op.name
        guard images.dtype == .float32, shape.count == 4, [1, 3, 4].contains(shape[3]) else {
            throw SessionError.shapeMismatch(op: name, reason: "images must be float32 [batch, height, width, 1, 3 or 4], got \(shape)")
        }
        let maxImages = op.attributes["max_images"]?.int ?? 3
        let (height, width, channels) = (shape[1], shape[2], shape[3])
        let imageCount = min(shape[0], maxImages)
        let valuesPerImage = height * width * channels
        return {
            let tag = String(decoding: tags.strings.first ?? [], as: UTF8.self)
            var summary = Tensorflow_Summary()
            for index in 0..<imageCount {
                let pixels = TensorFlowImageScaling.bytes(
                    UnsafeBufferPointer(start: images.floats + index * valuesPerImage, count: valuesPerImage), channels: channels)
                var image = Tensorflow_Summary.Image()
                do {
                    image.encodedImageString = Data(try PNGEncoder.encode(pixels: pixels, width: width, height: height, channels: channels))
                } catch {
                    throw SessionError.invalidValue(op: name, reason: "cannot encode image \(index) as PNG: \(error)")
                }
                // Encoded, so each side is in 1...Int32.max (PNG's limit).
                image.height = Int32(height)
                image.width = Int32(width)
                image.colorspace = Int32(channels)
                var value = Tensorflow_Summary.Value()
                value.tag = maxImages > 1 ? "\(tag)/image/\(index)" : "\(tag)/image"
                value.image = image
                summary.value.append(value)
            }
            output.strings = [try summary.serializedBytes()]
        }
    }
}

/// How TensorFlow's `ImageSummary` turns one float image into bytes: over its finite pixels
/// (a pixel is finite when all its channels are), when none is negative each value is scaled
/// by 255 / max, else by 127 / max(|min|, |max|) and offset by 128 (a scale of 0 when that
/// maximum is below 1e-6); the result is truncated to a byte. Non-finite pixels become
/// opaque red.
enum TensorFlowImageScaling {
    static func bytes(_ values: UnsafeBufferPointer<Float>, channels: Int) -> [UInt8] {
        let pixelCount = values.count / channels
        var low = Float.infinity
        var high = -Float.infinity
        for pixel in 0..<pixelCount where isFinite(values, pixel, channels) {
            for channel in 0..<channels {
                let value = values[pixel * channels + channel]
                low = min(low, value)
                high = max(high, value)
            }
        }
        let zeroThreshold: Float = 1e-6
        let scale: Float
        let offset: Float
        if low < 0 {
            let largest = max(abs(low), abs(high))
            scale = largest < zeroThreshold ? 0 : 127 / largest
            offset = 128
        } else {
            scale = high < zeroThreshold ? 0 : 255 / high
            offset = 0
        }
        let badColor: [UInt8] = [255, 0, 0, 255]
        var bytes = [UInt8](repeating: 0, count: values.count)
        for pixel in 0..<pixelCount {
            let finite = isFinite(values, pixel, channels)
            for channel in 0..<channels {
                let index = pixel * channels + channel
                if finite {
                    // In [0, 255] by construction; the clamp guards rounding at the ends.
                    let scaled = values[index] * scale + offset
                    bytes[index] = UInt8(min(max(scaled, 0), 255))
                } else {
                    bytes[index] = badColor[channel]
                }
            }
        }
        return bytes
    }

    private static func isFinite(_ values: UnsafeBufferPointer<Float>, _ pixel: Int, _ channels: Int) -> Bool {
        for channel in 0..<channels where !values[pixel * channels + channel].isFinite { return false }
        return true
    }
}
