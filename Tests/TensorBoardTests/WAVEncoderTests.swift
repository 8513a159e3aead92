import Foundation
import Testing
@testable import TensorBoard
import TestSupport

/// The WAV encoder byte for byte (tools/verify/verify_encoders.py also reads its files with
/// Python's `wave`), and the audio summary TensorFlow 2 writes.
struct WAVEncoderTests {
    @Test func aStereoFrameHasTheCanonicalHeaderAndRoundedSamples() throws {
        let wav = try WAVEncoder.encode(samples: [0.5, -1], sampleRate: 8000, channels: 2)
        let header = Array("RIFF".utf8) + [40, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 1, 0, 2, 0]
            + [0x40, 0x1F, 0, 0] + [0x00, 0x7D, 0, 0] + [4, 0, 16, 0] + Array("data".utf8) + [4, 0, 0, 0]
        #expect(Array(wav.prefix(44)) == header)
        // 0.5 * 32767 = 16383.5 rounds away from zero to 16384 = 0x4000; -1 is -32767 = 0x8001.
        #expect(Array(wav.suffix(4)) == [0x00, 0x40, 0x01, 0x80])
    }

    @Test func outOfRangeSamplesClampAndNonFiniteOnesAreNamed() throws {
        let wav = try WAVEncoder.encode(samples: [3, -3, 1e-9], sampleRate: 1, channels: 1)
        #expect(Array(wav.suffix(6)) == [0xFF, 0x7F, 0x01, 0x80, 0, 0])
        #expect(throws: WAVEncoder.Error.nonFiniteSample(index: 1, value: .infinity)) {
            try WAVEncoder.encode(samples: [0, .infinity], sampleRate: 8000, channels: 1)
        }
        #expect(throws: WAVEncoder.Error.samplesNotWholeFrames(samples: 3, channels: 2)) {
            try WAVEncoder.encode(samples: [0, 0, 0], sampleRate: 8000, channels: 2)
        }
        #expect(throws: WAVEncoder.Error.badSampleRate(0, maximum: Int(UInt32.max) / 2)) {
            try WAVEncoder.encode(samples: [0], sampleRate: 0, channels: 1)
        }
        #expect(throws: WAVEncoder.Error.empty) { try WAVEncoder.encode(samples: [], sampleRate: 1, channels: 1) }
    }

    @Test func audioIsAOneByTwoStringTensorWithWAVMetadata() throws {
        let writer = try makeWriter()
        try writer.add(audio: [0, 0.25, -0.25, 1], sampleRate: 16000, channels: 2, label: "hi", tag: "voice", step: 3)
        try writer.close()
        let value = try #require(try summaryEvents(of: writer).first?.event().summary.value.first)
        #expect(value.metadata.pluginData.pluginName == "audio")
        #expect([UInt8](value.metadata.pluginData.content) == [0x10, 11])  // encoding = WAV
        #expect(value.tensor.tensorShape.dim.map(\.size) == [1, 2])
        #expect([UInt8](value.tensor.stringVal[0]) == (try WAVEncoder.encode(samples: [0, 0.25, -0.25, 1], sampleRate: 16000, channels: 2)))
        #expect(value.tensor.stringVal[1] == Data("hi".utf8))
    }
}
