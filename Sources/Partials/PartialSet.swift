/// The partials of one run, read and checked before anything is summed: all of one stage and one
/// model, one per partition, none missing; put in partition order, so the sums are formed in the
/// same order however the files were listed or arrived (docs/scaling.md section 5.3).
struct PartialSet {
    let model: PartialModel
    /// The partials in partition order.
    let partials: [PartialRecords]

    init(paths: [String], stage: String) throws(PartialError) {
        guard !paths.isEmpty else { throw PartialError("no partials given") }
        var read = [PartialRecords]()
        for path in paths { read.append(try PartialRecords.read(path: path)) }
        try self.init(read, stage: stage)
    }

    init(_ read: [PartialRecords], stage: String) throws(PartialError) {
        guard let first = read.first else { throw PartialError("no partials given") }
        let model = try PartialModel(records: first)
        var byIndex = [Int: PartialRecords]()
        var count: Int?
        for partial in read {
            guard partial.stage == stage else {
                throw PartialError("\(partial.source): a '\(partial.stage ?? "unknown")' file where '\(stage)' partials were expected")
            }
            if let difference = try PartialModel(records: partial).difference(from: model) {
                throw PartialError("\(partial.source): a partial of another model than \(first.source) (\(difference))")
            }
            let index = try Self.part(partial, "index"), total = try Self.part(partial, "count")
            if let count, count != total {
                throw PartialError("\(partial.source): partial \(index + 1) of \(total), but \(first.source) is one of \(count)")
            }
            count = total
            guard index >= 0, index < total else { throw PartialError("\(partial.source): partition index \(index) outside 0..<\(total)") }
            if let earlier = byIndex[index] {
                throw PartialError("\(partial.source): partition \(index) of \(total) given twice (also \(earlier.source))")
            }
            byIndex[index] = partial
        }
        let total = count ?? 0
        if let missing = (0..<total).first(where: { byIndex[$0] == nil }) {
            let absent = (0..<total).filter { byIndex[$0] == nil }
            throw PartialError("missing partial: partition \(missing) of \(total) (\(absent.count) of \(total) missing: \(absent.prefix(10).map(String.init).joined(separator: ", "))\(absent.count > 10 ? ", …" : ""))")
        }
        self.model = model
        self.partials = (0..<total).compactMap { byIndex[$0] }
    }

    /// The partition index or count a partial records.
    static func part(_ partial: PartialRecords, _ key: String) throws(PartialError) -> Int {
        guard let record = partial.records.first(where: { $0.kind == "part" && $0.key == key }), record.value >= 0,
              record.value == record.value.rounded(), record.value < 1e9 else {
            throw PartialError("\(partial.source): no partition \(key); not a complete Quipu partial")
        }
        return Int(record.value)
    }
}
