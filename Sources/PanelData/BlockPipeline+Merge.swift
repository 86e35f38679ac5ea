import Dispatch

extension BlockPipeline {
    /// Appends the chunks' columns to the builders in input order and returns the line number
    /// after the last chunk.
    ///
    /// First, serially: errors (the earliest chunk's wins) and columns that turn text in this
    /// block. Then the appends, one column per thread: copying the values and faulting in the
    /// growing columns' pages is a sizeable share of the work and would otherwise leave the
    /// other cores idle between blocks.
    mutating func merge(
        _ results: [ChunkResult], ranges: [Range<Int>], base: UnsafePointer<UInt8>,
        bufferOffset: Int, firstLine: Int
    ) throws(CSVError) -> Int {
        var chunkLines: [Int] = []
        var chunkRows: [Int] = []
        var line = firstLine
        var rows = rowCount
        for result in results {
            chunkLines.append(line)
            chunkRows.append(rows)
            switch result.failure {
            case .ragged(let local, let found):
                throw CSVError.raggedRow(source: source.name, line: line + local, found: found, expected: layout.fieldCount)
            case .unterminatedQuote(let local):
                throw CSVError.unterminatedQuote(source: source.name, line: line + local)
            case .nulByte(let local):
                throw CSVError.notText(source: source.name, line: line + local)
            case nil:
                break
            }
            let sinks = result.columns.sinks
            if builders.indices.contains(where: { sinks[$0].allocationFailed }) {
                throw CSVError(.unreadable, source: source.name, message: "\(source.name): out of memory while reading")
            }
            if builders.indices.contains(where: { sinks[$0].dictionary.isFull }) {
                throw tooManyLevels()
            }
            line += result.lineCount
            rows += result.rowCount
        }

        // A numeric column that some chunk found to be text becomes text at that chunk: its
        // earlier rows are read again as text, and it takes chunks from there on.
        var firstChunk = [Int](repeating: 0, count: builders.count)
        var turning: [Int: [Int]] = [:]
        for slot in builders.indices where !builders[slot].isText {
            if let index = results.firstIndex(where: { $0.columns.sinks[slot].isText }) {
                turning[index, default: []].append(slot)
            }
        }
        for (index, slots) in turning.sorted(by: { $0.key < $1.key }) {
            try convertEarlierRows(slots: slots, upTo: bufferOffset + ranges[index].lowerBound, expectedRows: chunkRows[index])
            let sinks = results[index].columns.sinks
            for slot in slots {
                builders[slot].noteFirstNonNumeric(sinks[slot].firstNonNumeric.map { (chunkLines[index] + $0.line, $0.value) })
                firstChunk[slot] = index
            }
        }

        // Chunks parsed in parallel with the one that turned a column into text still hold
        // numbers for it; read their text again from the bytes, which are still in memory.
        for (index, result) in results.enumerated() {
            let sinks = result.columns.sinks
            let lagging = builders.indices.filter { builders[$0].isText && index >= firstChunk[$0] && !sinks[$0].isText }
            guard !lagging.isEmpty else { continue }
            let range = ranges[index]
            let again = ChunkParser(layout: layout.keeping(slots: lagging), knownText: lagging.map { _ in true })
                .parse(base + range.lowerBound, base + range.upperBound)
            for (position, slot) in lagging.enumerated() {
                sinks[slot].takeText(from: &again.columns.sinks[position])
            }
        }

        let columns = results.map(\.columns)
        if threads > 1 && builders.count > 1 {
            builders.withUnsafeMutableBufferPointer { buffer in
                guard let first = buffer.baseAddress else { return }
                let shared = SharedMerge(builders: first, columns: columns, firstChunk: firstChunk)
                DispatchQueue.concurrentPerform(iterations: buffer.count) { slot in
                    for index in shared.firstChunk[slot]..<shared.columns.count {
                        shared.builders[slot].append(shared.columns[index].sinks[slot])
                    }
                }
            }
        } else {
            for slot in builders.indices {
                for index in firstChunk[slot]..<columns.count {
                    builders[slot].append(columns[index].sinks[slot])
                }
            }
        }
        if builders.contains(where: \.hasTooManyLevels) {
            throw tooManyLevels()
        }
        rowCount = rows
        return line
    }

    /// The error for a text column with more distinct values than factor codes can number.
    private func tooManyLevels() -> CSVError {
        CSVError(
            .unreadable, source: source.name,
            message: "\(source.name): a text column has more distinct values than can be stored "
                + "(over \(Int32.max - 1), or memory ran out)")
    }

    /// Re-reads the rows before input offset `end` for the given numeric columns as text, and
    /// makes those builders text columns holding them.
    mutating func convertEarlierRows(slots: [Int], upTo end: Int, expectedRows: Int) throws(CSVError) {
        let source = self.source
        let stream = BlockStream(name: source.name, offset: dataStart) { position, buffer throws(CSVError) in
            let wanted = min(buffer.count, end - position)
            guard wanted > 0, let start = buffer.baseAddress else { return 0 }
            return try source.readAgain(at: position, into: UnsafeMutableRawBufferPointer(start: start, count: wanted))
        }
        var options = CSVReadOptions(threads: threads)
        options.blockSize = blockSize
        options.minimumChunkBytes = minimumChunkBytes
        var again = BlockPipeline(
            source: source, layout: layout.keeping(slots: slots), options: options, dataStart: dataStart,
            dropsTrailingBlankLines: false, builders: slots.map { _ in ColumnBuilder(isText: true) })
        try again.run(stream, firstLine: 0)
        guard again.rowCount == expectedRows else {
            throw CSVError(
                .unreadable, source: source.name,
                message: "\(source.name): the input changed while it was being read")
        }
        for (position, slot) in slots.enumerated() {
            builders[slot].becomeText(from: again.builders[position])
        }
    }
}

/// What the per-column append workers share. Safe because each worker touches only the
/// builder of its own column and reads chunk columns that no one writes meanwhile.
private struct SharedMerge: @unchecked Sendable {
    let builders: UnsafeMutablePointer<ColumnBuilder>
    let columns: [ChunkColumns]
    let firstChunk: [Int]
}
