#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory, so an uncompressed Arrow file's buffers are read where
/// they lie instead of being copied in first.
final class MappedFile {
    /// The file's bytes; valid while the object lives.
    let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?

    /// Maps `path`; fails as the CSV reader does for a missing or unreadable path.
    init(path: String) throws(CSVError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw CSVError(.fileNotFound, source: path, message: "\(path): no such file") }
            throw CSVError(.unreadable, source: path, message: "\(path): cannot open (\(ByteSource.reason(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw CSVError(.unreadable, source: path, message: "\(path): cannot read (\(ByteSource.reason(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw CSVError(.unreadable, source: path, message: "\(path): is not a regular file")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw CSVError(.unreadable, source: path, message: "\(path): cannot map into memory (\(ByteSource.reason(errno)))")
        }
        #if os(Linux)
        _ = madvise(address, size, MADV_WILLNEED)
        #endif
        mapping = address
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}
