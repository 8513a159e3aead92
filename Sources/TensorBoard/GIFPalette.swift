/// The colour table of a GIF and each pixel's index into it.
///
/// Quantization, chosen for being exact whenever it can be and predictable otherwise:
/// - at most 256 distinct colours in the whole video (always so for gray frames): those
///   colours, sorted, one global table; every pixel is exact;
/// - more: a fixed 6x7x6 colour cube (252 colours: 6 levels of red and blue, 7 of green,
///   as the eye tells greens apart best), each channel rounded to its nearest level, no
///   dithering; a channel is then off by at most 255 / 10 (red, blue) or 255 / 12 (green).
struct GIFPalette {
    /// RGB triples; `colors.count / 3` is a power of two, at least 4 (unused entries black).
    let colors: [UInt8]
    /// Bits per index in the table's size: `colors.count / 3 == 1 << bitsPerIndex`.
    let bitsPerIndex: Int
    /// One palette index per pixel, frame after frame.
    let indices: [UInt8]

    static let cubeLevels = (red: 6, green: 7, blue: 6)

    /// The palette for frames of 1 (gray) or 3 (RGB) channels.
    init(frames: ImageBatch) {
        let rgb = Self.rgbValues(frames)
        var distinct = Set<UInt32>()
        var index = 0
        while index < rgb.count, distinct.count <= 256 {
            distinct.insert(UInt32(rgb[index]) << 16 | UInt32(rgb[index + 1]) << 8 | UInt32(rgb[index + 2]))
            index += 3
        }
        var table: [UInt8]
        var indices = [UInt8]()
        indices.reserveCapacity(rgb.count / 3)
        if distinct.count <= 256 {
            let sorted = distinct.sorted()
            var position = [UInt32: UInt8](minimumCapacity: sorted.count)
            for (slot, color) in sorted.enumerated() { position[color] = UInt8(slot) }
            table = sorted.flatMap { [UInt8($0 >> 16), UInt8(($0 >> 8) & 0xFF), UInt8($0 & 0xFF)] }
            for pixel in stride(from: 0, to: rgb.count, by: 3) {
                let color = UInt32(rgb[pixel]) << 16 | UInt32(rgb[pixel + 1]) << 8 | UInt32(rgb[pixel + 2])
                indices.append(position[color] ?? 0)
            }
        } else {
            let levels = Self.cubeLevels
            table = []
            for red in 0..<levels.red {
                for green in 0..<levels.green {
                    for blue in 0..<levels.blue {
                        table += [Self.value(red, of: levels.red), Self.value(green, of: levels.green), Self.value(blue, of: levels.blue)]
                    }
                }
            }
            for pixel in stride(from: 0, to: rgb.count, by: 3) {
                let red = Self.level(rgb[pixel], of: levels.red)
                let green = Self.level(rgb[pixel + 1], of: levels.green)
                let blue = Self.level(rgb[pixel + 2], of: levels.blue)
                indices.append(UInt8((red * levels.green + green) * levels.blue + blue))
            }
        }
        var bits = 2
        while 1 << bits < table.count / 3 { bits += 1 }
        table += [UInt8](repeating: 0, count: (1 << bits) * 3 - table.count)
        self.colors = table
        self.bitsPerIndex = bits
        self.indices = indices
    }

    /// The nearest of `levels` evenly spaced levels for a byte.
    static func level(_ byte: UInt8, of levels: Int) -> Int {
        (Int(byte) * (levels - 1) + 127) / 255
    }

    /// The byte of level `level` of `levels`.
    static func value(_ level: Int, of levels: Int) -> UInt8 {
        UInt8((level * 255 + (levels - 1) / 2) / (levels - 1))
    }

    /// The frames as RGB bytes (gray repeated in all three).
    private static func rgbValues(_ frames: ImageBatch) -> [UInt8] {
        guard frames.channels == 1 else { return frames.pixels }
        var rgb = [UInt8]()
        rgb.reserveCapacity(frames.pixels.count * 3)
        for gray in frames.pixels { rgb += [gray, gray, gray] }
        return rgb
    }
}
