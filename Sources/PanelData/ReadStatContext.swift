import CReadStat

/// What ReadStat's callbacks collect while a file is parsed: the variables, the kept columns'
/// values, and the value-label sets.
///
/// ReadStat calls plain C functions with an opaque pointer to this object; the data rows come
/// row by row, and Stata files put their value labels after the data, so labels are applied
/// once parsing has ended (`finishColumns`).
final class ReadStatContext {
    /// One kept variable's values as they arrive.
    struct Variable {
        let name: String
        /// The value-label set attached, if any (a numeric variable with one becomes text).
        let labelSet: String?
        let isString: Bool
        var numbers: [Double] = []
        var strings: [String?] = []
    }

    /// A value a label is attached to: a number, or (SPSS) a string.
    enum LabelKey: Hashable {
        case number(Double)
        case string(String)
    }

    private let keep: Set<String>?
    private let missingTokens: Set<String>
    /// Every variable's name, in file order, kept or not.
    private(set) var allNames: [String] = []
    /// The kept variables, in file order.
    private var variables: [Variable] = []
    /// The value callback's state, which ReadStat passes as its context pointer.
    let sink: UnsafeMutableRawPointer
    /// Label sets by name: value → label.
    private var labelSets: [String: [LabelKey: String]] = [:]
    /// The rows the file announces, or -1 when it does not say.
    private var announcedRows = -1
    /// ReadStat's own error messages, to add to the error code's text.
    private(set) var errorMessages: [String] = []
    /// A problem found by the callbacks themselves.
    private(set) var failure: String?

    /// The file's size in bytes, against which the header's row count is checked.
    private let fileSize: Int

    init(keep: Set<String>?, missingTokens: Set<String>, fileSize: Int) {
        self.keep = keep
        self.fileSize = fileSize
        self.missingTokens = missingTokens
        let sink = UnsafeMutablePointer<ValueSink>.allocate(capacity: 1)
        self.sink = UnsafeMutableRawPointer(sink)
        sink.initialize(to: ValueSink(owner: Unmanaged.passUnretained(self)))
    }

    deinit {
        let sink = sink.assumingMemoryBound(to: ValueSink.self)
        sink.pointee.release()
        sink.deinitialize(count: 1)
        sink.deallocate()
    }

    /// The number of data rows read (the kept columns' common length).
    var rowsRead: Int {
        guard let first = variables.first else { return max(0, announcedRows) }
        return first.isString ? first.strings.count : max(first.numbers.count, sinkPointer.pointee.received(0))
    }

    private var sinkPointer: UnsafeMutablePointer<ValueSink> { sink.assumingMemoryBound(to: ValueSink.self) }

    /// The kept columns, with labels applied and missing values marked.
    func finishColumns(source: String, format: DataFormat) throws(CSVError) -> [Column] {
        for position in variables.indices where sinkPointer.pointee.hasStorage(position) {
            variables[position].numbers = sinkPointer.pointee.take(position)
        }
        let rows = rowsRead
        var columns: [Column] = []
        for variable in variables {
            let count = variable.isString ? variable.strings.count : variable.numbers.count
            guard count == rows else {
                throw CSVError.malformed(
                    source: source, format: format.displayName,
                    "variable '\(variable.name)' has \(count) values where the first kept variable has \(rows)")
            }
            columns.append(finish(variable, rows: rows))
        }
        return columns
    }

    /// One column: numbers, strings as text, or labelled numbers as their labels.
    private func finish(_ variable: Variable, rows: Int) -> Column {
        let labels = variable.labelSet.flatMap { labelSets[$0] }
        if variable.isString {
            var builder = TextColumnBuilder(missingTokens: missingTokens, capacity: rows)
            for value in variable.strings {
                builder.append(value.map { labels?[.string($0)] ?? $0 })
            }
            return builder.finish()
        }
        guard let labels, !labels.isEmpty else { return .numeric(variable.numbers) }
        var builder = TextColumnBuilder(missingTokens: [], capacity: rows)
        for value in variable.numbers {
            builder.append(value.isNaN ? nil : labels[.number(value)] ?? Self.numberText(value))
        }
        return builder.finish()
    }

    /// An unlabelled value of a labelled variable, written as a person would: "3", "2.5".
    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A value's number, or `nil` for a string.
    static func number(of value: readstat_value_t) -> Double? {
        switch readstat_value_type(value) {
        case READSTAT_TYPE_INT8: Double(readstat_int8_value(value))
        case READSTAT_TYPE_INT16: Double(readstat_int16_value(value))
        case READSTAT_TYPE_INT32: Double(readstat_int32_value(value))
        case READSTAT_TYPE_FLOAT: Double(readstat_float_value(value))
        case READSTAT_TYPE_DOUBLE: readstat_double_value(value)
        default: nil
        }
    }

    /// The context behind ReadStat's opaque pointer (a `ValueSink`).
    private static func context(_ pointer: UnsafeMutableRawPointer?) -> ReadStatContext? {
        pointer.map { $0.assumingMemoryBound(to: ValueSink.self).pointee.owner.takeUnretainedValue() }
    }

    // MARK: - ReadStat callbacks (C function pointers: they capture nothing)

    static let handleMetadata: readstat_metadata_handler = { metadata, pointer in
        guard let context = context(pointer) else { return Int32(READSTAT_HANDLER_ABORT) }
        let announced = Int(readstat_get_row_count(metadata))
        let variables = Int(readstat_get_var_count(metadata))
        if let reason = AnnouncedRowCount.implausibility(
            announced: announced, fileSize: context.fileSize, variables: variables,
            compression: readstat_get_compression(metadata)) {
            context.failure = reason
            return Int32(READSTAT_HANDLER_ABORT)
        }
        context.announcedRows = announced
        context.sinkPointer.pointee.prepare(variables: variables, rows: context.announcedRows)
        return Int32(READSTAT_HANDLER_OK)
    }

    static let handleVariable: readstat_variable_handler = { index, variable, labelSet, pointer in
        guard let context = context(pointer), let variable else { return Int32(READSTAT_HANDLER_ABORT) }
        let name = readstat_variable_get_name(variable).map { String(cString: $0) } ?? "v\(index + 1)"
        context.allNames.append(name)
        guard context.keep?.contains(name) ?? true else { return Int32(READSTAT_HANDLER_SKIP_VARIABLE) }
        let isString = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING
        var entry = Variable(name: name, labelSet: labelSet.map { String(cString: $0) }, isString: isString)
        guard context.sinkPointer.pointee.keep(
            variable: Int(readstat_variable_get_index(variable)), at: context.variables.count, numeric: !isString)
        else { return Int32(READSTAT_HANDLER_ABORT) }
        if isString, context.announcedRows > 0 { entry.strings.reserveCapacity(context.announcedRows) }
        if !isString, context.announcedRows < 0 { entry.numbers.reserveCapacity(1 << 16) }
        context.variables.append(entry)
        return Int32(READSTAT_HANDLER_OK)
    }

    /// Numbers go straight into the sink's storage at their row; text, and numbers of a file
    /// that does not announce its row count, take the slower path through the context.
    static let handleValue: readstat_value_handler = { row, variable, value, pointer in
        guard let pointer, let variable else { return Int32(READSTAT_HANDLER_ABORT) }
        let sink = pointer.assumingMemoryBound(to: ValueSink.self)
        let index = Int(readstat_variable_get_index(variable))
        guard let position = sink.pointee.position(of: index) else { return Int32(READSTAT_HANDLER_ABORT) }
        let missing = readstat_value_is_missing(value, variable) != 0
        if sink.pointee.hasStorage(position) {
            let number = missing ? Double.nan : number(of: value) ?? .nan
            guard sink.pointee.store(number, row: Int(row), at: position) else {
                let context = sink.pointee.owner.takeUnretainedValue()
                context.failure = "it holds more rows than its header announces (\(context.announcedRows))"
                return Int32(READSTAT_HANDLER_ABORT)
            }
            return Int32(READSTAT_HANDLER_OK)
        }
        let context = sink.pointee.owner.takeUnretainedValue()
        if context.variables[position].isString {
            let text = missing ? nil : readstat_string_value(value).map { String(cString: $0) }
            context.variables[position].strings.append(text)
        } else {
            context.variables[position].numbers.append(missing ? .nan : number(of: value) ?? .nan)
        }
        return Int32(READSTAT_HANDLER_OK)
    }

    static let handleValueLabel: readstat_value_label_handler = { setName, value, label, pointer in
        guard let context = context(pointer) else { return Int32(READSTAT_HANDLER_ABORT) }
        guard let setName, let label, readstat_value_is_tagged_missing(value) == 0,
            readstat_value_is_system_missing(value) == 0
        else { return Int32(READSTAT_HANDLER_OK) }
        let key: LabelKey
        if let number = number(of: value) {
            key = .number(number)
        } else if let text = readstat_string_value(value) {
            key = .string(String(cString: text))
        } else {
            return Int32(READSTAT_HANDLER_OK)
        }
        context.labelSets[String(cString: setName), default: [:]][key] = String(cString: label)
        return Int32(READSTAT_HANDLER_OK)
    }

    static let handleError: readstat_error_handler = { message, pointer in
        guard let context = context(pointer), let message else { return }
        context.errorMessages.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
