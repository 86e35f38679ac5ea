import CLZ4
import CZstd

/// The buffers of one Arrow record batch, decompressed when the batch is compressed.
///
/// An uncompressed buffer is read where it lies in the memory-mapped file. A compressed one
/// (Message.fbs `BodyCompression`) starts with its uncompressed length as a little-endian
/// int64, then the LZ4 frame or Zstandard data; a length of -1 means the rest is stored as is,
/// which writers choose when compression would not shrink a buffer. Decompressed copies live
/// as long as this object.
final class ArrowBatchBuffers {
    let batch: ArrowFile.RecordBatch
    private let fail: @Sendable (String) -> CSVError
    private var allocations: [UnsafeMutableRawBufferPointer] = []

    init(batch: ArrowFile.RecordBatch, fail: @escaping @Sendable (String) -> CSVError) {
        self.batch = batch
        self.fail = fail
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }

    /// Buffer `index` of the batch, uncompressed.
    func buffer(_ index: Int) throws(CSVError) -> UnsafeRawBufferPointer {
        guard index >= 0, index < batch.buffers.count else {
            throw fail("a record batch has \(batch.buffers.count) buffers, fewer than its schema needs")
        }
        let (offset, length) = batch.buffers[index]
        let stored = UnsafeRawBufferPointer(rebasing: batch.body[offset..<(offset + length)])
        guard let codec = batch.codec, length > 0 else { return stored }
        guard length >= 8 else { throw fail("a compressed buffer is shorter than its length prefix") }
        let expected = Int64(littleEndian: stored.loadUnaligned(as: Int64.self))
        let compressed = UnsafeRawBufferPointer(rebasing: stored[8...])
        if expected == -1 { return compressed }
        // A bound on what one buffer may claim, so a corrupt prefix cannot ask for terabytes.
        guard expected >= 0, expected <= Int64(1) << 40 else { throw fail("a compressed buffer claims \(expected) bytes") }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, Int(expected)), alignment: 64)
        allocations.append(output)
        let target = UnsafeMutableRawBufferPointer(rebasing: output[0..<Int(expected)])
        switch codec {
        case 0: try inflateLZ4(compressed, into: target)
        case 1: try inflateZstd(compressed, into: target)
        default: throw fail("its buffers use compression codec \(codec), which Arrow does not define")
        }
        return UnsafeRawBufferPointer(target)
    }

    /// Decompresses an LZ4 frame (the LZ4_FRAME codec) that must fill `target` exactly.
    private func inflateLZ4(_ source: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) throws(CSVError) {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw fail("LZ4 could not be initialised")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var produced = 0, consumed = 0
        while true {
            var outputSize = target.count - produced
            var inputSize = source.count - consumed
            let hint = LZ4F_decompress(
                context, target.baseAddress.map { $0 + produced }, &outputSize,
                source.baseAddress.map { $0 + consumed }, &inputSize, nil)
            if LZ4F_isError(hint) != 0 {
                throw fail("an LZ4-compressed buffer is corrupt (\(String(cString: LZ4F_getErrorName(hint))))")
            }
            produced += outputSize
            consumed += inputSize
            if hint == 0 { break }  // the frame is complete
            if inputSize == 0 && outputSize == 0 { throw fail("an LZ4-compressed buffer ends early") }
        }
        guard produced == target.count else {
            throw fail("an LZ4-compressed buffer holds \(produced) bytes, not the \(target.count) its prefix says")
        }
    }

    /// Decompresses a Zstandard frame (the ZSTD codec) that must fill `target` exactly.
    private func inflateZstd(_ source: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) throws(CSVError) {
        let result = ZSTD_decompress(target.baseAddress, target.count, source.baseAddress, source.count)
        if ZSTD_isError(result) != 0 {
            throw fail("a Zstandard-compressed buffer is corrupt (\(String(cString: ZSTD_getErrorName(result))))")
        }
        guard result == target.count else {
            throw fail("a Zstandard-compressed buffer holds \(result) bytes, not the \(target.count) its prefix says")
        }
    }
}
