/// A fixed effect absorbed by a regression and its number of levels (an entry of the
/// `fixed_effects` array of feols and fepois).
public struct FixedEffectRecord: JSONRecord, Sendable {
    public var name: String
    public var levels: Int

    public init(name: String, levels: Int) {
        self.name = name
        self.levels = levels
    }
}
