import ArgumentParser
import Estimation
import Formula
import PanelData

/// `--subset`, shared by every command that reads data: a row filter applied right after the read,
/// before the panel, the model frame or singleton removal see the rows.
struct SubsetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Keep only the rows where this condition holds, e.g. \"pum_cohort != 2004 & size_class %in% c('small','medium')\".",
        discussion: "Comparisons (> >= < <= == !=) of columns, numbers, quoted texts and formula expressions such as log(sales); %in% c(...), is.na(x), and & | ! with parentheses. Rows where the condition is missing (NA) are removed."))
    var subset: String?

    func validate() throws {
        // A syntax error points at its position before any data are read.
        if let subset {
            do { _ = try RowFilter.parse(subset) } catch { throw ValidationError(error.description) }
        }
    }

    /// The parsed filter, or nil without --subset.
    func filter() throws -> RowFilter? {
        try subset.map { text throws(FormulaError) in try RowFilter.parse(text) }
    }

    /// The columns the filter reads, to add to those a command reads.
    var columns: Set<String> {
        (try? filter())??.variables ?? []
    }

    /// Reads the columns a command needs plus those the filter reads, and applies the filter,
    /// carrying over only the command's columns; without --subset, a plain read and no summary.
    func read(
        _ input: DataOptions, columns: Set<String>, threads: Int, demand: MemoryDemand
    ) throws -> (table: DataTable, summary: SubsetSummary?) {
        guard let filter = try filter() else { return (try input.read(columns: columns, threads: threads, demand: demand), nil) }
        let table: DataTable
        do {
            table = try input.read(columns: columns.union(filter.variables), threads: threads, demand: demand)
        } catch let error as CSVError where error.kind == .missingColumns {
            // Say where a name only the filter uses came from: the header check cannot know.
            let filterOnly = filter.variables.subtracting(columns).sorted().filter { error.message.contains("'\($0)'") }
            guard !filterOnly.isEmpty else { throw error }
            throw CommandError(error.message + " (--subset \"\(filter.source)\" names " + filterOnly.map { "'\($0)'" }.joined(separator: ", ") + ")")
        }
        return try table.filtered(by: filter, keeping: columns)
    }
}
