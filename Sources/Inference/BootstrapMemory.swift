import Foundation
import Primitives
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory a bootstrap's replicate buffers need, checked against what the process can have
/// before anything is allocated: a request for 10^9 replicates must end in a sentence with the
/// figure, not in an allocation failure or the machine swapping for an hour.
public enum BootstrapMemory {
    /// Bytes of `replicates × doublesPerReplicate` doubles, or nil when the product overflows.
    public static func bytes(replicates: Int, doublesPerReplicate: Int) -> Int? {
        let (doubles, overflow) = replicates.multipliedReportingOverflow(by: max(0, doublesPerReplicate))
        guard !overflow else { return nil }
        let (bytes, byteOverflow) = doubles.multipliedReportingOverflow(by: MemoryLayout<Double>.size)
        return byteOverflow ? nil : bytes
    }

    /// Throws when `needed` bytes (nil: more than can be counted) exceed what is available;
    /// `what` names the buffers ("the wild bootstrap's 10^9 replicates").
    public static func check(_ needed: Int?, for what: String, replicates: Int) throws(BootstrapError) {
        let advice = "ask for fewer replicates with --reps (\(replicates) requested; 9,999 is usual, 99,999 ample for p-values near 0.05)"
        guard let needed else { throw BootstrapError("\(what) need more memory than can be counted; " + advice) }
        guard let available = availableBytes, needed > available else { return }
        throw BootstrapError("\(what) need about \(describe(needed)) of memory, more than the \(describe(available)) available; " + advice)
    }

    /// Memory the process can still use: the smallest of the system's available memory, the
    /// control group's remaining limit and the address-space limit (`ulimit -v`); nil when
    /// none is known.
    public static var availableBytes: Int? {
        var limits = [Int]()
        if let available = meminfoAvailable() { limits.append(available) }
        if let group = controlGroupRemaining() { limits.append(group) }
        if let space = addressSpaceRemaining() { limits.append(space) }
        if limits.isEmpty, ProcessInfo.processInfo.physicalMemory < UInt64(Int.max) {
            limits.append(Int(ProcessInfo.processInfo.physicalMemory))
        }
        return limits.min()
    }

    /// A byte count as people read it: "88.0 GB", "512 MB".
    public static func describe(_ bytes: Int) -> String {
        NumberFormat.bytes(Double(bytes))
    }

    /// MemAvailable from /proc/meminfo (Linux), in bytes.
    static func meminfoAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes.multipliedReportingOverflow(by: 1024).overflow ? nil : kilobytes * 1024
        }
        return nil
    }

    /// The address-space limit (`ulimit -v`) minus the address space already in use.
    static func addressSpaceRemaining() -> Int? {
        #if os(Linux)
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return nil }
        // /proc/self/statm starts with the process's address-space size in pages.
        let used = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))
            .flatMap { $0.split(separator: " ").first.flatMap { Int($0) } }
            .map { $0 * Int(sysconf(Int32(_SC_PAGESIZE))) } ?? 0
        return max(0, Int(limit.rlim_cur) - used)
        #else
        return nil
        #endif
    }

    /// The cgroup v2 limit minus current use, when the process runs under a limit (containers).
    static func controlGroupRemaining() -> Int? {
        func number(_ path: String) -> Int? {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let limit = number("/sys/fs/cgroup/memory.max") else { return nil }  // "max": no limit
        return max(0, limit - (number("/sys/fs/cgroup/memory.current") ?? 0))
    }
}
