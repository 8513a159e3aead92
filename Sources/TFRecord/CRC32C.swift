import CCRC32C

/// CRC32C (Castagnoli), the checksum of TFRecord framing and TensorFlow checkpoints.
///
/// Reflected polynomial 0x82F63B78, initial register 0xFFFFFFFF, final XOR 0xFFFFFFFF
/// (the iSCSI convention; the check value of ASCII "123456789" is 0xE3069283).
///
/// On CPUs with a CRC32C instruction (SSE4.2 on x86_64, the ARMv8 CRC extension on arm64)
/// the checksum runs in the `CCRC32C` shim; elsewhere a byte table does the same work.
public enum CRC32C {
    /// True when the hardware instruction is used on this CPU.
    public static var usesHardware: Bool { c_crc32c_uses_hardware() == 1 }

    /// The CRC32C of `bytes`.
    /// - Complexity: O(n).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        extend(0, bytes)
    }

    /// The CRC32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { extend(0, $0) }
    }

    /// Continues a finished checksum `crc` over more bytes: `extend(checksum(a), b)` equals
    /// the checksum of `a` followed by `b`.
    @inline(__always)
    public static func extend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        if c_crc32c_uses_hardware() == 1, let base = bytes.baseAddress {
            return c_crc32c_extend_hardware(crc, base, bytes.count)
        }
        return softwareExtend(crc, bytes)
    }

    /// The masked CRC32Cs of two byte ranges, such as a record's length field and its
    /// payload, in one call to the hardware shim (the same values as two `maskedChecksum`s).
    @inline(__always)
    public static func maskedChecksums(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer
    ) -> (first: UInt32, second: UInt32) {
        if c_crc32c_uses_hardware() == 1, let firstBase = first.baseAddress, let secondBase = second.baseAddress {
            var secondCRC: UInt32 = 0
            let firstCRC = c_crc32c_pair_hardware(firstBase, first.count, secondBase, second.count, &secondCRC)
            return (mask(firstCRC), mask(secondCRC))
        }
        return (maskedChecksum(first), maskedChecksum(second))
    }

    /// Masks a CRC so that a CRC of data containing CRCs stays well distributed:
    /// `rotr32(crc, 15) &+ 0xA282EAD8`. TFRecord framing and tensor bundles store masked CRCs.
    @inlinable
    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    /// Inverts `mask(_:)`.
    @inlinable
    public static func unmask(_ masked: UInt32) -> UInt32 {
        let rotated = masked &- 0xA282_EAD8
        return (rotated >> 17) | (rotated << 15)
    }

    /// The masked CRC32C of `bytes`.
    @inlinable
    public static func maskedChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        mask(checksum(bytes))
    }

    /// The table-driven implementation, used where the CPU has no CRC32C instruction.
    static func softwareExtend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var register = ~crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                register = table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
            }
        }
        return ~register
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = (value & 1) == 1 ? (value >> 1) ^ 0x82F6_3B78 : value >> 1
        }
        return value
    }
}
