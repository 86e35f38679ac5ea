/// A firm's untreated state in one year, from which every potential outcome is computed.
///
/// Keeping the latent state (rather than only the written values) lets the truth be computed
/// exactly: the same state with and without a programme's shift gives both potential outcomes.
struct LatentYear: Sendable {
    /// Log total employment without support.
    var logEmployment: Double
    /// Log deviation of temporary employment from its usual share (seasonal hiring).
    var temporaryNoise: Double
    /// Whether the firm employs any temporary workers this year.
    var hasTemporary: Bool
    /// Log domestic sales without support.
    var logDomestic: Double
    /// Log EU exports without support, or nil in a year without EU exports.
    var logExportEU: Double?
    /// Log non-EU exports without support, or nil in a year without non-EU exports.
    var logExportNonEU: Double?
}
