/// Encodes float samples as a 16-bit PCM WAV file (RIFF), the encoding TensorBoard's audio
/// dashboard plays (`AudioPluginData.encoding = WAV`).
///
/// | offset | size | content (integers little-endian) |
/// |---|---|---|
/// | 0 | 4 | `RIFF` |
/// | 4 | 4 | file size - 8 = 36 + data size |
/// | 8 | 4 | `WAVE` |
/// | 12 | 4 | `fmt ` |
/// | 16 | 4 | 16 (size of the format chunk) |
/// | 20 | 2 | 1 (PCM) |
/// | 22 | 2 | channels |
/// | 24 | 4 | sample rate (frames per second) |
/// | 28 | 4 | byte rate = sample rate * channels * 2 |
/// | 32 | 2 | block align = channels * 2 |
/// | 34 | 2 | 16 (bits per sample) |
/// | 36 | 4 | `data` |
/// | 40 | 4 | data size = frames * channels * 2 |
/// | 44 | data size | Int16 samples, channels interleaved per frame |
///
/// A sample `s` in [-1, 1] becomes `Int16((s * 32767).rounded())` (exact, in Double; ties away from zero); finite values outside
/// [-1, 1] clamp to it first (as tensorboardX and `tf.audio.encode_wav` do).
public enum WAVEncoder {
    /// Why samples cannot be encoded. Each message says what to change.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// A sample is NaN or infinite; `index` is its position in the interleaved samples.
        case nonFiniteSample(index: Int, value: Float)
        /// Channels outside 1...65535 (WAV stores 16 bits).
        case badChannelCount(Int)
        /// The sample count is not a whole number of frames.
        case samplesNotWholeFrames(samples: Int, channels: Int)
        /// A sample rate outside 1...`maximumSampleRate(channels:)`.
        case badSampleRate(Int, maximum: Int)
        /// No samples.
        case empty
        /// The data would pass WAV's 4 GiB limit (32-bit sizes).
        case tooLong(samples: Int)

        public var description: String {
            switch self {
            case .nonFiniteSample(let index, let value):
                return "audio sample \(index) is \(value); samples must be finite, in [-1, 1] "
                    + "(replace NaN and infinities before adding audio)"
            case .badChannelCount(let channels):
                return "audio has \(channels) channels; pass 1 (mono), 2 (stereo) or more, at most 65535"
            case .samplesNotWholeFrames(let samples, let channels):
                return "\(samples) audio samples are not a whole number of frames of \(channels) channels; "
                    + "pass channels interleaved, \(channels) values per frame"
            case .badSampleRate(let rate, let maximum):
                return "a sample rate of \(rate) Hz is not one WAV can store; pass 1...\(maximum) frames per second "
                    + "(e.g. 16000 or 44100)"
            case .empty:
                return "audio needs at least one frame of samples"
            case .tooLong(let samples):
                return "\(samples) audio samples pass WAV's 4 GiB limit; split the clip"
            }
        }
    }

    /// The largest sample rate whose byte rate (rate * channels * 2) fits WAV's 32 bits.
    public static func maximumSampleRate(channels: Int) -> Int {
        Int(UInt32.max) / (2 * max(channels, 1))
    }

    /// WAV bytes for `samples`, channels interleaved (`[left0, right0, left1, ...]`).
    /// - Throws: `WAVEncoder.Error` naming the bad sample, channel count or rate.
    public static func encode(samples: [Float], sampleRate: Int, channels: Int) throws(Error) -> [UInt8] {
        guard (1...0xFFFF).contains(channels) else { throw .badChannelCount(channels) }
        guard !samples.isEmpty else { throw .empty }
        guard samples.count % channels == 0 else { throw .samplesNotWholeFrames(samples: samples.count, channels: channels) }
        let maximumRate = maximumSampleRate(channels: channels)
        guard (1...maximumRate).contains(sampleRate) else { throw .badSampleRate(sampleRate, maximum: maximumRate) }
        let dataSize = samples.count * 2  // samples.count <= Int.max / 8 for any array in memory
        guard dataSize <= Int(UInt32.max) - 36 else { throw .tooLong(samples: samples.count) }
        if let bad = samples.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteSample(index: bad, value: samples[bad])
        }
        var wav = [UInt8]()
        wav.reserveCapacity(44 + dataSize)
        wav += Array("RIFF".utf8)
        append32(36 + dataSize, to: &wav)
        wav += Array("WAVEfmt ".utf8)
        append32(16, to: &wav)
        append16(1, to: &wav)
        append16(channels, to: &wav)
        append32(sampleRate, to: &wav)
        append32(sampleRate * channels * 2, to: &wav)
        append16(channels * 2, to: &wav)
        append16(16, to: &wav)
        wav += Array("data".utf8)
        append32(dataSize, to: &wav)
        for sample in samples {
            // In Double, where a float32 sample times 32767 is exact; ties round away from zero.
            let value = Int16((Double(min(max(sample, -1), 1)) * 32767).rounded())
            append16(Int(UInt16(bitPattern: value)), to: &wav)
        }
        return wav
    }

    private static func append16(_ value: Int, to bytes: inout [UInt8]) {
        bytes += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)]
    }

    private static func append32(_ value: Int, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> shift) & 0xFF)) }
    }
}
