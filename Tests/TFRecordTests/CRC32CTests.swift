import Testing
@testable import TFRecord
import TestSupport

/// Known answers from FORMAT.md §1, checked on both the hardware and the table path.
struct CRC32CTests {
    static let vectors: [(input: [UInt8], crc: UInt32, masked: UInt32)] = [
        ([], 0x0000_0000, 0xA282_EAD8),
        (Array("a".utf8), 0xC1D0_4330, 0x28E4_6E78),
        (Array("123456789".utf8), 0xE306_9283, 0xC78A_B0E5),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA, 0x0FD7_FFFA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43, 0xF909_B029),
        (Array(0...31), 0x46DD_794E, 0x951F_7892),
        (Array("The quick brown fox jumps over the lazy dog".utf8), 0x2262_0404, 0xAA8B_2F9C),
    ]

    @Test func knownAnswers() {
        for vector in Self.vectors {
            #expect(CRC32C.checksum(vector.input) == vector.crc)
            #expect(CRC32C.mask(vector.crc) == vector.masked)
            #expect(CRC32C.unmask(vector.masked) == vector.crc)
        }
    }

    @Test func tableMatchesKnownAnswers() {
        for vector in Self.vectors {
            #expect(vector.input.withUnsafeBytes { CRC32C.softwareExtend(0, $0) } == vector.crc)
        }
    }

    @Test func hardwareIsUsedWhereAvailable() {
        #if arch(x86_64) || arch(arm64)
        #expect(CRC32C.usesHardware)
        #endif
    }

    @Test func lengthHeaderVectors() {
        let vectors: [(UInt64, UInt32)] = [
            (0, 0x0798_0329), (24, 0x224B_7FA3), (26, 0x2DD8_9B12), (30, 0x3212_DCD9),
            (100, 0xDF1C_5F43), (1000, 0x9A11_9507),
        ]
        for (length, masked) in vectors {
            let header = withUnsafeBytes(of: length.littleEndian) { CRC32C.maskedChecksum($0) }
            #expect(header == masked)
        }
    }

    @Test func hardwareAgreesWithTableOnEveryLengthAndAlignment() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        data.withUnsafeBytes { all in
            for start in 0..<16 {
                for length in [0, 1, 7, 8, 9, 31, 32, 33, 100, 1000, 4000] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<start + length])
                    #expect(CRC32C.checksum(slice) == CRC32C.softwareExtend(0, slice))
                }
            }
        }
    }

    @Test func pairEqualsTwoMaskedChecksums() {
        for first in Self.vectors {
            for second in Self.vectors {
                let pair = first.input.withUnsafeBytes { a in second.input.withUnsafeBytes { b in CRC32C.maskedChecksums(a, b) } }
                #expect(pair.first == first.masked)
                #expect(pair.second == second.masked)
            }
        }
    }

    @Test func extendEqualsChecksumOfConcatenation() {
        let a = Array("12345".utf8)
        let b = Array("6789".utf8)
        let extended = b.withUnsafeBytes { CRC32C.extend(CRC32C.checksum(a), $0) }
        #expect(extended == 0xE306_9283)
    }
}
