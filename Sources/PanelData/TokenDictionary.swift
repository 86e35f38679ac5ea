#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from byte strings to dense codes in order of first appearance, used to turn
/// text fields into factor codes without creating a `String` per field.
///
/// Keys live back to back in one byte arena, so a chunk with a million distinct identifiers
/// makes a handful of allocations rather than a million.
struct TokenDictionary: Sendable {
    /// The keys, concatenated in code order.
    private(set) var arena: [UInt8] = []
    /// `offsets[code] ..< offsets[code + 1]` is the key of `code` in `arena`.
    private(set) var offsets: [Int] = [0]
    /// The hash of each key, kept so growing the table never rehashes bytes.
    private var hashes: [UInt64] = []
    /// Open-addressing slots holding `code + 1`, or 0 when empty; the count is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 64)

    /// Set when a key was refused because codes are `Int32`; readers turn this into an error.
    private(set) var isFull = false

    /// The number of distinct keys.
    var count: Int { hashes.count }

    /// The code of `key`, adding it as a new code if it is not present yet.
    mutating func code(for key: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            let code = Int(stored) - 1
            if hashes[code] == hash && keyEquals(code, key) {
                return Int32(truncatingIfNeeded: code)
            }
            slot = (slot + 1) & mask
        }
        let code = hashes.count
        guard code < Int(Int32.max) - 1 else {
            isFull = true
            return -1
        }
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = Int32(truncatingIfNeeded: code + 1)
        // Keep the load factor at or below one half so probe sequences stay short.
        if hashes.count * 2 > slots.count {
            grow()
        }
        return Int32(truncatingIfNeeded: code)
    }

    /// Calls `body` with the bytes of the key of `code`.
    func withKey<R>(_ code: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = offsets[code]
        let end = offsets[code + 1]
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The keys as strings, in code order; invalid UTF-8 is repaired with U+FFFD.
    func strings() -> [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        arena.withUnsafeBufferPointer { bytes in
            for code in 0..<count {
                let slice = UnsafeBufferPointer(rebasing: bytes[offsets[code]..<offsets[code + 1]])
                result.append(String(decoding: slice, as: UTF8.self))
            }
        }
        return result
    }

    /// Whether the key of `code` has the bytes of `key`.
    private func keyEquals(_ code: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[code]
        let length = offsets[code + 1] - start
        guard length == key.count else { return false }
        if length == 0 { return true }
        return arena.withUnsafeBytes { stored in
            guard let a = stored.baseAddress, let b = key.baseAddress else { return false }
            return memcmp(a + start, b, length) == 0
        }
    }

    /// Doubles the slot table, placing codes by their stored hashes.
    private mutating func grow() {
        let capacity = slots.count * 2
        let mask = capacity - 1
        var fresh = [Int32](repeating: 0, count: capacity)
        for code in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while fresh[slot] != 0 { slot = (slot + 1) & mask }
            fresh[slot] = Int32(truncatingIfNeeded: code + 1)
        }
        slots = fresh
    }

    /// FNV-1a with a final avalanche, so the low bits used for slots depend on every byte.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
