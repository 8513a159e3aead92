import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// The GIF encoder against the GIF89a layout and, round trip, against a reference LZW
/// decoder written here from the spec (tools/verify/verify_encoders.py decodes the same
/// kinds of files with Pillow).
struct GIFEncoderTests {
    @Test func headerLoopAndDelayAreWhereTheSpecPutsThem() throws {
        let frames = try ImageBatch(pixels: [0, 255, 255, 0, 10, 20], count: 3, width: 2, height: 1, channels: 1)
        let gif = try GIFEncoder.encode(frames: frames, delayCentiseconds: 25, loopCount: 0)
        #expect(Array(gif.prefix(6)) == Array("GIF89a".utf8))
        #expect(Array(gif[6..<10]) == [2, 0, 1, 0])
        #expect(gif[10] == 0x91)  // global table, 2 bits of colour resolution, 2^(1+1) = 4 colours: 0, 10, 20, 255
        #expect(Array(gif[13..<25]) == [0, 0, 0, 10, 10, 10, 20, 20, 20, 255, 255, 255])
        #expect(Array(gif[25..<44]) == [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0, 0])
        #expect(Array(gif[44..<52]) == [0x21, 0xF9, 0x04, 0x04, 25, 0, 0, 0])
        #expect(gif.last == 0x3B)
        let decoded = try ReferenceGIFDecoder.decode(gif)
        #expect(decoded.frames == [[0, 3], [3, 0], [1, 2]])
    }

    @Test(arguments: [(1, 1), (80, 60), (64, 64), (3, 700)])
    func randomGrayFramesRoundTripExactly(width: Int, height: Int) throws {
        var random = SeededRandom(seed: UInt64(width * 1000 + height))
        let count = 2
        let pixels = (0..<(count * width * height)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let frames = try ImageBatch(pixels: pixels, count: count, width: width, height: height, channels: 1)
        let decoded = try ReferenceGIFDecoder.decode(try GIFEncoder.encode(frames: frames, delayCentiseconds: 10))
        for frame in 0..<count {
            let colors = decoded.frames[frame].map { decoded.palette[Int($0) * 3] }
            #expect(colors == Array(frames.image(frame)), "frame \(frame) of \(width)x\(height)")
        }
    }

    @Test func manyColoursGoThroughTheCubeWithinHalfAStep() throws {
        var random = SeededRandom(seed: 7)
        let pixels = (0..<(40 * 30 * 3)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let frames = try ImageBatch(pixels: pixels, count: 1, width: 40, height: 30, channels: 3)
        let decoded = try ReferenceGIFDecoder.decode(try GIFEncoder.encode(frames: frames, delayCentiseconds: 10))
        #expect(decoded.palette.count == 256 * 3)
        var worst = 0
        for (pixel, index) in decoded.frames[0].enumerated() {
            for channel in 0..<3 {
                worst = max(worst, abs(Int(decoded.palette[Int(index) * 3 + channel]) - Int(pixels[pixel * 3 + channel])))
            }
        }
        #expect(worst <= 26)
    }

    @Test func alphaAndOversizedFramesAreRefused() throws {
        let rgba = try ImageBatch(pixels: [UInt8](repeating: 0, count: 16), count: 1, width: 2, height: 2, channels: 4)
        #expect(throws: GIFEncoder.Error.unsupportedChannelCount(4)) { try GIFEncoder.encode(frames: rgba, delayCentiseconds: 1) }
        let wide = try ImageBatch(pixels: [UInt8](repeating: 0, count: 70_000), count: 1, width: 70_000, height: 1, channels: 1)
        #expect(throws: GIFEncoder.Error.tooLarge(width: 70_000, height: 1)) { try GIFEncoder.encode(frames: wide, delayCentiseconds: 1) }
        let gray = try ImageBatch(pixels: [1], count: 1, width: 1, height: 1, channels: 1)
        #expect(throws: GIFEncoder.Error.self) { try GIFEncoder.encode(frames: gray, delayCentiseconds: 70_000) }
    }

    @Test func aVideoIsAnImageSummaryHoldingTheGIF() throws {
        let writer = try makeWriter()
        let frames = try ImageBatch(pixels: [0, 128, 255, 64], count: 2, width: 2, height: 1, channels: 1)
        try writer.add(video: frames, fps: 5, tag: "clip", step: 1)
        #expect(throws: SummaryWriterError.self) { try writer.add(video: frames, fps: 0, tag: "clip", step: 2) }
        try writer.close()
        let value = try #require(try summaryEvents(of: writer).first?.event().summary.value.first)
        #expect(value.metadata.pluginData.pluginName == "images")
        #expect(value.tensor.stringVal.count == 3 && value.tensor.stringVal[0] == Data("2".utf8))
        let gif = [UInt8](value.tensor.stringVal[2])
        #expect(try ReferenceGIFDecoder.decode(gif).delays == [20, 20])
    }
}

/// A GIF decoder for the tests, from the GIF89a spec: global table, graphic control
/// delays, and LZW with variable code sizes (no interlace, no local tables).
enum ReferenceGIFDecoder {
    struct Decoded {
        var palette: [UInt8]
        var frames: [[UInt8]]
        var delays: [Int]
    }

    struct Malformed: Error {}

    static func decode(_ gif: [UInt8]) throws -> Decoded {
        let width = Int(gif[6]) | Int(gif[7]) << 8
        let height = Int(gif[8]) | Int(gif[9]) << 8
        let tableSize = 1 << (Int(gif[10] & 7) + 1)
        var offset = 13 + tableSize * 3
        var result = Decoded(palette: Array(gif[13..<offset]), frames: [], delays: [])
        while offset < gif.count {
            switch gif[offset] {
            case 0x21:
                if gif[offset + 1] == 0xF9 { result.delays.append(Int(gif[offset + 4]) | Int(gif[offset + 5]) << 8) }
                offset += 2
                while gif[offset] != 0 { offset += Int(gif[offset]) + 1 }
                offset += 1
            case 0x2C:
                let minimumCodeSize = Int(gif[offset + 10])
                offset += 11
                var data = [UInt8]()
                while gif[offset] != 0 {
                    data += gif[(offset + 1)...(offset + Int(gif[offset]))]
                    offset += Int(gif[offset]) + 1
                }
                offset += 1
                let frame = try lzw(data, minimumCodeSize: minimumCodeSize)
                guard frame.count == width * height else { throw Malformed() }
                result.frames.append(frame)
            case 0x3B:
                return result
            default:
                throw Malformed()
            }
        }
        throw Malformed()
    }

    static func lzw(_ data: [UInt8], minimumCodeSize: Int) throws -> [UInt8] {
        let clear = 1 << minimumCodeSize
        var table: [[UInt8]] = []
        var codeSize = minimumCodeSize + 1
        var bitPosition = 0
        var previous: [UInt8]?
        var output: [UInt8] = []
        func reset() {
            table = (0..<clear).map { [UInt8($0)] } + [[], []]
            codeSize = minimumCodeSize + 1
            previous = nil
        }
        reset()
        while bitPosition + codeSize <= data.count * 8 {
            var code = 0
            for bit in 0..<codeSize where data[(bitPosition + bit) / 8] & (1 << ((bitPosition + bit) % 8)) != 0 {
                code |= 1 << bit
            }
            bitPosition += codeSize
            if code == clear { reset(); continue }
            if code == clear + 1 { return output }
            let entry: [UInt8]
            if code < table.count {
                entry = table[code]
            } else if code == table.count, let previous {
                entry = previous + [previous[0]]
            } else {
                throw Malformed()
            }
            output += entry
            if let previous, table.count < 4096 { table.append(previous + [entry[0]]) }
            if table.count == 1 << codeSize && codeSize < 12 { codeSize += 1 }
            previous = entry
        }
        throw Malformed()  // no end code
    }
}
