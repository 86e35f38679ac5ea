/// The `--timings` line of every command, one vocabulary: each stage's duration as
/// `<stage>_seconds` in the order the stages ran, then counts (`read_bytes`, `models`, ...), then
/// the whole run's `total_seconds` and `peak_memory_bytes`, all under `timings`; then the line's
/// `schema_version`, last, so that readers that find the line by its `{"timings"` opening still do.
public struct TimingsRecord: JSONRecord, Sendable {
    public var stages: [(name: String, seconds: Double)]
    public var counts: [(String, JSONValue)]
    public var totalSeconds: Double
    public var peakMemoryBytes: Int

    public init(stages: [(name: String, seconds: Double)], counts: [(String, JSONValue)], totalSeconds: Double, peakMemoryBytes: Int) {
        self.stages = stages
        self.counts = counts
        self.totalSeconds = totalSeconds
        self.peakMemoryBytes = peakMemoryBytes
    }

    public func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: DynamicKey.self)
        var container = outer.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey("timings"))
        for stage in stages { try container.encode(stage.seconds, forKey: DynamicKey("\(stage.name)_seconds")) }
        for (key, value) in counts { try container.encode(value, forKey: DynamicKey(key)) }
        try container.encode(totalSeconds, forKey: DynamicKey("total_seconds"))
        try container.encode(peakMemoryBytes, forKey: DynamicKey("peak_memory_bytes"))
        try outer.encode(OutputContract.schemaVersion, forKey: DynamicKey("schema_version"))
    }
}
