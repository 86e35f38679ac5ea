/// Why rows of the data are not in a regression's sample (the `dropped` object of feols and
/// fepois): the common reasons, then the model's own (fepois's `separated`), then the collinear
/// regressors dropped from the model (names, not rows).
public struct DropRecord: JSONRecord, Sendable {
    /// One undefined transform (`log(x)` of x <= 0, say) and the rows it dropped.
    public struct UndefinedTransform: Encodable, Sendable {
        public var reason: String
        public var rows: Int
        public init(reason: String, rows: Int) {
            self.reason = reason
            self.rows = rows
        }
    }

    public var subset: Int
    public var missing: Int
    public var nonFinite: Int
    public var undefinedTransforms: [UndefinedTransform]
    public var singletons: Int
    public var zeroWeight: Int
    /// The model's own reasons, in its order.
    public var modelDrops: [(String, JSONValue)]
    public var collinear: [String]

    public init(subset: Int, missing: Int, nonFinite: Int, undefinedTransforms: [UndefinedTransform], singletons: Int,
                zeroWeight: Int, modelDrops: [(String, JSONValue)], collinear: [String]) {
        self.subset = subset
        self.missing = missing
        self.nonFinite = nonFinite
        self.undefinedTransforms = undefinedTransforms
        self.singletons = singletons
        self.zeroWeight = zeroWeight
        self.modelDrops = modelDrops
        self.collinear = collinear
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(subset, forKey: DynamicKey("subset"))
        try container.encode(missing, forKey: DynamicKey("missing"))
        try container.encode(nonFinite, forKey: DynamicKey("non_finite"))
        try container.encode(undefinedTransforms.reduce(0) { $0 + $1.rows }, forKey: DynamicKey("undefined_transform"))
        try container.encode(undefinedTransforms, forKey: DynamicKey("undefined_transforms"))
        try container.encode(singletons, forKey: DynamicKey("singletons"))
        try container.encode(zeroWeight, forKey: DynamicKey("zero_weight"))
        for (key, value) in modelDrops { try container.encode(value, forKey: DynamicKey(key)) }
        try container.encode(collinear, forKey: DynamicKey("collinear"))
    }
}
