import Foundation
import TensorBoard
import TestSupport

extension HostileCases {
    /// Sizes that overflow, are empty, negative or mismatched, and channel counts TensorBoard
    /// has no colour model for; plus random small sizes with the right pixel count.
    static func hostileSizes(_ random: inout SeededRandom) -> [(width: Int, height: Int, channels: Int, count: Int)] {
        var sizes: [(Int, Int, Int, Int)] = [
            (Int(Int32.max), Int(Int32.max), 4, 16), (Int.max, 1, 1, 1), (1, Int.max, 3, 3), (Int.max, Int.max, 4, 0),
            (Int.min, 2, 1, 2), (-1, -1, 1, 1), (0, 0, 1, 0), (0, 5, 3, 0), (4, 4, 5, 80), (4, 4, 0, 0),
            (4, 4, -3, 48), (4, 4, Int.max, 16), (2, 2, 1, 3), (2, 2, 1, 5), (1 << 31, 1, 1, 1), (1, 1, 1, 1),
        ]
        for _ in 0..<40 {
            let width = Int.random(in: 1...16, using: &random)
            let height = Int.random(in: 1...16, using: &random)
            let channels = Int.random(in: 1...4, using: &random)
            sizes.append((width, height, channels, width * height * channels))
        }
        return sizes
    }

    static func floatImages(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let special: [Float] = [.nan, .infinity, -.infinity, -1, 2, 0.5, .greatestFiniteMagnitude, -0, .signalingNaN]
        for (width, height, channels, count) in hostileSizes(&random) {
            let pixels = (0..<count).map { index in
                index < special.count ? special[index] : random.anyFloat()
            }
            try probe.attempt("float image \(width)x\(height)x\(channels) from \(count) values") {
                try $0.add(image: try SummaryImage(floatPixels: pixels, width: width, height: height, channels: channels),
                           tag: "float", step: 1)
            }
        }
        try probe.attempt("all-NaN float image") {
            try $0.add(image: try SummaryImage(floatPixels: [.nan, .nan, .nan, .nan], width: 2, height: 2, channels: 1),
                       tag: "nan", step: 1)
        }
        try probe.attempt("no images") { try $0.add(images: [], tag: "none", step: 1) }
        return ["main": try probe.close()]
    }

    static func byteImages(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        for (width, height, channels, count) in hostileSizes(&random) {
            let pixels = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            try probe.attempt("byte image \(width)x\(height)x\(channels) from \(count) values") {
                try $0.add(image: try SummaryImage(pixels: pixels, width: width, height: height, channels: channels),
                           tag: "bytes", step: 1)
            }
        }
        return ["main": try probe.close()]
    }

    static func encodedImages(_ directory: String, _ seed: UInt64) throws -> Runs {
        var random = SeededRandom(seed: seed)
        let probe = try Probe(directory: directory + "/main")
        let png = try PNGEncoder.encode(pixels: [1, 2, 3, 4, 5, 6], width: 3, height: 2, channels: 1)
        var inputs: [(String, [UInt8])] = [
            ("empty", []), ("PNG signature only", Array(png.prefix(8))), ("PNG cut in IHDR", Array(png.prefix(20))),
            ("PNG", png), ("JPEG SOI only", [0xFF, 0xD8]), ("JPEG", minimalJPEG(width: 3, height: 2)),
            ("JPEG 0x0", minimalJPEG(width: 0, height: 0)), ("GIF", Array("GIF89a".utf8) + [3, 0, 2, 0, 0, 0, 0]),
            ("GIF cut", Array("GIF87a".utf8) + [3]), ("text", Array("hello, world".utf8)),
            ("JPEG with a zero-length segment", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00]),
            ("JPEG scan before frame", [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]),
        ]
        for index in 0..<60 {
            var bytes = index % 2 == 0 ? png : minimalJPEG(width: 3, height: 2)
            for _ in 0..<(1 + index % 4) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            inputs.append(("mutated #\(index)", bytes))
            inputs.append(("random #\(index)", (0..<Int.random(in: 0...64, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }))
        }
        for (label, bytes) in inputs {
            try probe.attempt("encoded \(label)") { try $0.add(image: try SummaryImage(encoded: bytes), tag: "enc", step: 1) }
            for (width, height) in [(3, 2), (2, 3), (0, 0), (Int.max, Int.min)] {
                try probe.attempt("encoded \(label) declared \(width)x\(height)") {
                    try $0.add(image: try SummaryImage(encoded: bytes, width: width, height: height), tag: "enc", step: 1)
                }
            }
        }
        return ["main": try probe.close()]
    }

    /// The header of a baseline JPEG: SOI, an APP0 segment, SOF0 with the size.
    static func minimalJPEG(width: Int, height: Int) -> [UInt8] {
        let size = [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)]
        return [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08] + size
            + [0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9]
    }
}
