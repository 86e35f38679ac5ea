/// The two Dutch support programmes.
public enum Programme: Int, CaseIterable, Sendable {
    /// CBI export coaching (integrated country programme 2014–2018).
    case cbi
    /// PUM senior-expert missions.
    case pum

    /// The code used in the truth files.
    public var code: String {
        switch self {
        case .cbi: "cbi"
        case .pum: "pum"
        }
    }
}
