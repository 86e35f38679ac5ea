/// Turns the buffers of one Arrow array into numbers, strings or dictionary indices.
///
/// Buffer layouts follow Arrow's Columnar.rst: a validity bitmap (bit i of byte i/8 set when
/// slot i holds a value; it may be left out, length 0, when the array has no nulls), then for
/// fixed-width types the values, for strings 32- or 64-bit offsets into a data buffer, and for
/// string views 16-byte views (length, then the string inline when it is at most 12 bytes, or a
/// 4-byte prefix, a data-buffer index and an offset). Every length and offset is checked against
/// its buffer before it is used.
struct ArrowArrayDecoder {
    let buffers: ArrowBatchBuffers
    /// The column the array belongs to, for messages.
    let column: String
    let fail: @Sendable (String) -> CSVError

    /// The validity bitmap, or `nil` when every slot is valid.
    func validity(_ node: (length: Int, nullCount: Int), buffer index: Int) throws(CSVError) -> UnsafeRawBufferPointer? {
        guard node.nullCount > 0 else { return nil }
        let bitmap = try buffers.buffer(index)
        guard bitmap.count >= (node.length + 7) / 8 else { throw fail("column '\(column)' has a validity bitmap too short for its rows") }
        return bitmap
    }

    @inline(__always)
    static func isValid(_ bitmap: UnsafeRawBufferPointer?, _ index: Int) -> Bool {
        guard let bitmap else { return true }
        return bitmap[index >> 3] & (1 << UInt8(index & 7)) != 0
    }

    /// The data buffer `index`, checked to hold `count` values of `width` bytes.
    func values(_ index: Int, count: Int, width: Int) throws(CSVError) -> UnsafeRawBufferPointer {
        let data = try buffers.buffer(index)
        guard data.count / width >= count else { throw fail("column '\(column)' has a value buffer too short for its rows") }
        return data
    }

    /// Appends a numeric array (integers, floats, booleans as 0/1, null) as doubles, nulls as NaN.
    func appendNumbers(
        _ type: ArrowField.DataType, node: (length: Int, nullCount: Int), firstBuffer: Int, into output: inout [Double]
    ) throws(CSVError) {
        let count = node.length
        if case .null = type {
            output.append(contentsOf: repeatElement(.nan, count: count))
            return
        }
        let bitmap = try validity(node, buffer: firstBuffer)
        switch type {
        case .integer(let width, let signed):
            let data = try values(firstBuffer + 1, count: count, width: width / 8)
            switch (width, signed) {
            case (8, true): Self.append(Int8.self, data, bitmap, count, &output)
            case (8, false): Self.append(UInt8.self, data, bitmap, count, &output)
            case (16, true): Self.append(Int16.self, data, bitmap, count, &output)
            case (16, false): Self.append(UInt16.self, data, bitmap, count, &output)
            case (32, true): Self.append(Int32.self, data, bitmap, count, &output)
            case (32, false): Self.append(UInt32.self, data, bitmap, count, &output)
            case (64, true): Self.append(Int64.self, data, bitmap, count, &output)
            default: Self.append(UInt64.self, data, bitmap, count, &output)
            }
        case .floatingPoint(let precision):
            let width = [2, 4, 8][min(max(precision, 0), 2)]
            let data = try values(firstBuffer + 1, count: count, width: width)
            for index in 0..<count where width != 8 || bitmap != nil {
                guard Self.isValid(bitmap, index) else { output.append(.nan); continue }
                switch width {
                case 2: output.append(Double(Float16(bitPattern: data.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))))
                case 4: output.append(Double(data.loadUnaligned(fromByteOffset: 4 * index, as: Float.self)))
                default: output.append(data.loadUnaligned(fromByteOffset: 8 * index, as: Double.self))
                }
            }
            if width == 8 && bitmap == nil, count > 0, let source = data.baseAddress {
                // The common case, a double column without nulls: one copy from the mapped file
                // (buffers are 8-byte aligned in any file that follows the format; others are
                // read value by value).
                if Int(bitPattern: source) % MemoryLayout<Double>.alignment == 0 {
                    output.append(contentsOf: UnsafeBufferPointer(start: source.assumingMemoryBound(to: Double.self), count: count))
                } else {
                    for index in 0..<count { output.append(data.loadUnaligned(fromByteOffset: 8 * index, as: Double.self)) }
                }
            }
        case .bool:
            let data = try values(firstBuffer + 1, count: (count + 7) / 8, width: 1)
            for index in 0..<count {
                output.append(Self.isValid(bitmap, index) ? (data[index >> 3] & (1 << UInt8(index & 7)) != 0 ? 1 : 0) : .nan)
            }
        default:
            throw fail("column '\(column)' is not numeric")
        }
    }

    /// Appends `count` integers of type `T` as doubles.
    private static func append<T: FixedWidthInteger>(
        _ type: T.Type, _ data: UnsafeRawBufferPointer, _ bitmap: UnsafeRawBufferPointer?, _ count: Int, _ output: inout [Double]
    ) {
        output.reserveCapacity(output.count + count)
        let width = MemoryLayout<T>.size
        for index in 0..<count {
            output.append(isValid(bitmap, index) ? Double(T(littleEndian: data.loadUnaligned(fromByteOffset: width * index, as: T.self))) : .nan)
        }
    }

    /// Dictionary indices of `width` bits, `-1` for null slots.
    func indices(width: Int, node: (length: Int, nullCount: Int), firstBuffer: Int) throws(CSVError) -> [Int] {
        let bitmap = try validity(node, buffer: firstBuffer)
        let bytes = width / 8
        guard [1, 2, 4, 8].contains(bytes) else { throw fail("column '\(column)' has \(width)-bit dictionary indices") }
        let data = try values(firstBuffer + 1, count: node.length, width: bytes)
        return (0..<node.length).map { index in
            guard Self.isValid(bitmap, index) else { return -1 }
            let at = bytes * index
            switch bytes {
            case 1: return Int(data.loadUnaligned(fromByteOffset: at, as: Int8.self))
            case 2: return Int(Int16(littleEndian: data.loadUnaligned(fromByteOffset: at, as: Int16.self)))
            case 4: return Int(Int32(littleEndian: data.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            default: return Int(truncatingIfNeeded: Int64(littleEndian: data.loadUnaligned(fromByteOffset: at, as: Int64.self)))
            }
        }
    }

    /// The values of a string, date or timestamp array as text, `nil` for nulls.
    func strings(
        _ type: ArrowField.DataType, node: (length: Int, nullCount: Int), firstBuffer: Int, variadicCount: Int
    ) throws(CSVError) -> [String?] {
        let count = node.length
        let bitmap = try validity(node, buffer: firstBuffer)
        switch type {
        case .utf8, .largeUtf8:
            let wide = if case .largeUtf8 = type { true } else { false }
            let offsets = try values(firstBuffer + 1, count: count + 1, width: wide ? 8 : 4)
            let data = try buffers.buffer(firstBuffer + 2)
            let offset: (Int) -> Int = { index in
                wide ? Int(truncatingIfNeeded: Int64(littleEndian: offsets.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)))
                    : Int(Int32(littleEndian: offsets.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
            }
            var result: [String?] = []
            result.reserveCapacity(count)
            for index in 0..<count {
                guard Self.isValid(bitmap, index) else { result.append(nil); continue }
                let start = offset(index), end = offset(index + 1)
                guard start >= 0, start <= end, end <= data.count else {
                    throw fail("column '\(column)' has a string offset outside its data (row \(index + 1) of a batch)")
                }
                result.append(String(decoding: UnsafeRawBufferPointer(rebasing: data[start..<end]), as: UTF8.self))
            }
            return result
        case .utf8View:
            return try viewStrings(count: count, bitmap: bitmap, firstBuffer: firstBuffer, variadicCount: variadicCount)
        case .date(let unit):
            let width = unit == 0 ? 4 : 8
            let data = try values(firstBuffer + 1, count: count, width: width)
            return (0..<count).map { index in
                guard Self.isValid(bitmap, index) else { return nil }
                let days = unit == 0 ? Int64(Int32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
                    : Self.floorDivide(Int64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)), 86_400_000)
                return ArrowTemporal.date(daysSinceEpoch: days)
            }
        case .timestamp(let unit):
            let data = try values(firstBuffer + 1, count: count, width: 8)
            return (0..<count).map { index in
                guard Self.isValid(bitmap, index) else { return nil }
                return ArrowTemporal.timestamp(Int64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)), unit: unit)
            }
        default:
            throw fail("column '\(column)' is not text")
        }
    }

    /// Strings of a string-view array (Columnar.rst, "Variable-size Binary View Layout").
    private func viewStrings(count: Int, bitmap: UnsafeRawBufferPointer?, firstBuffer: Int, variadicCount: Int) throws(CSVError) -> [String?] {
        let views = try values(firstBuffer + 1, count: count, width: 16)
        let dataBuffers = try (0..<variadicCount).map { offset throws(CSVError) in try buffers.buffer(firstBuffer + 2 + offset) }
        var result: [String?] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard Self.isValid(bitmap, index) else { result.append(nil); continue }
            let at = 16 * index
            let length = Int(Int32(littleEndian: views.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            guard length >= 0 else { throw fail("column '\(column)' has a negative string length") }
            if length <= 12 {
                result.append(String(decoding: UnsafeRawBufferPointer(rebasing: views[(at + 4)..<(at + 4 + length)]), as: UTF8.self))
                continue
            }
            let bufferIndex = Int(Int32(littleEndian: views.loadUnaligned(fromByteOffset: at + 8, as: Int32.self)))
            let start = Int(Int32(littleEndian: views.loadUnaligned(fromByteOffset: at + 12, as: Int32.self)))
            guard bufferIndex >= 0, bufferIndex < dataBuffers.count, start >= 0, start <= dataBuffers[bufferIndex].count - length else {
                throw fail("column '\(column)' has a string view outside its data buffers")
            }
            result.append(String(decoding: UnsafeRawBufferPointer(rebasing: dataBuffers[bufferIndex][start..<(start + length)]), as: UTF8.self))
        }
        return result
    }

    /// Division rounding toward minus infinity, for dates before 1970.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
