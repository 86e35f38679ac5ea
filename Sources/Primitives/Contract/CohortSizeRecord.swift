/// A cohort and its units (`describe`'s and `did`'s `cohorts`): the first treated period, or
/// `"never"` for the never treated.
public struct CohortSizeRecord: JSONRecord, Sendable {
    public var cohort: Int?
    public var units: Int

    public init(cohort: Int?, units: Int) {
        self.cohort = cohort
        self.units = units
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        if let cohort { try container.encode(cohort, forKey: DynamicKey("cohort")) } else { try container.encode("never", forKey: DynamicKey("cohort")) }
        try container.encode(units, forKey: DynamicKey("units"))
    }
}
