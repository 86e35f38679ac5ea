/// The panel as CSV.
extension PeruSimulation {
    /// The CSV header; `FirmYearRecord` documents every column.
    public static let csvColumns = [
        "firm_id", "year", "subsector", "size_class", "founded", "applicant",
        "cbi_start", "cbi_dropout", "cbi_cohort", "cbi_treated", "pum_cohort", "pum_missions", "pum_treated",
    ] + Outcome.allCases.map(\.column)

    /// The panel, one row per firm-year present (header first, `\n` line ends, missing values
    /// as empty fields, whole numbers only).
    public func csv() -> String {
        var text = Self.csvColumns.joined(separator: ",") + "\n"
        text.reserveCapacity(records.count * 80)
        for record in records {
            text += Self.csvLine(record)
            text += "\n"
        }
        return text
    }

    /// One record as a CSV line without the line end.
    static func csvLine(_ record: FirmYearRecord) -> String {
        var fields = [
            String(record.firmID), String(record.year), record.subsector.code, record.sizeClass.code,
            String(record.founded), flag(record.applicant), String(record.cbiStart), flag(record.cbiDropout),
            String(record.cbiCohort), flag(record.cbiTreated), String(record.pumCohort),
            String(record.pumMissions), flag(record.pumTreated),
        ]
        for outcome in Outcome.allCases {
            fields.append(record.values.map { String($0[outcome]) } ?? "")
        }
        return fields.joined(separator: ",")
    }

    private static func flag(_ value: Bool) -> String { value ? "1" : "0" }
}
