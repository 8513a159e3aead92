/// GIF's variable-length LZW compression of palette indices (GIF89a spec, appendix F).
///
/// Codes start at `minimumCodeSize + 1` bits and grow by one bit when the next code to be
/// assigned no longer fits, up to 12 bits (4096 codes); when the table is full a clear
/// code resets it. Codes are packed least-significant bit first. The first code is a
/// clear code, the last the end-of-information code.
enum GIFLZW {
    /// The compressed code stream for `indices` (each below `1 << minimumCodeSize`).
    static func compress(_ indices: ArraySlice<UInt8>, minimumCodeSize: Int) -> [UInt8] {
        let clear = 1 << minimumCodeSize
        let end = clear + 1
        var output = BitPacker()
        var codeSize = minimumCodeSize + 1
        var next = clear + 2
        var table = [Int: Int]()
        output.write(clear, bits: codeSize)
        guard var prefix = indices.first.map(Int.init) else {
            output.write(end, bits: codeSize)
            return output.bytes()
        }
        for index in indices.dropFirst() {
            let key = prefix << 8 | Int(index)
            if let code = table[key] {
                prefix = code
                continue
            }
            output.write(prefix, bits: codeSize)
            table[key] = next
            if next == 1 << codeSize && codeSize < 12 { codeSize += 1 }
            next += 1
            if next == 4096 {
                output.write(clear, bits: codeSize)
                table.removeAll(keepingCapacity: true)
                codeSize = minimumCodeSize + 1
                next = clear + 2
            }
            prefix = Int(index)
        }
        output.write(prefix, bits: codeSize)
        // The decoder adds a table entry on reading that last code (it lags the encoder by
        // one), and widens its codes if that entry fills the current size.
        if next + 1 > 1 << codeSize && codeSize < 12 && next > clear + 2 { codeSize += 1 }
        output.write(end, bits: codeSize)
        return output.bytes()
    }

    /// Packs codes least-significant bit first.
    private struct BitPacker {
        private var buffer = [UInt8]()
        private var pending = 0
        private var pendingBits = 0

        mutating func write(_ code: Int, bits: Int) {
            pending |= code << pendingBits
            pendingBits += bits
            while pendingBits >= 8 {
                buffer.append(UInt8(pending & 0xFF))
                pending >>= 8
                pendingBits -= 8
            }
        }

        func bytes() -> [UInt8] {
            pendingBits > 0 ? buffer + [UInt8(pending & 0xFF)] : buffer
        }
    }
}
