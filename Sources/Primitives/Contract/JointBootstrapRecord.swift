/// The joint multiplier bootstrap behind a family's Romano–Wolf and Westfall–Young p-values
/// (`quipu report`'s `headline_adjusted.joint_bootstrap`): how it was drawn, each member's
/// statistic and its own bootstrap p-value, and the members left out of the family with why.
public struct JointBootstrapRecord: JSONRecord, Sendable {
    /// One member of the family: who it is, t = estimate / analytic SE, and its symmetric
    /// bootstrap p-value tested alone.
    public struct Member: JSONRecord, Sendable {
        public var programme: String
        public var outcome: String
        public var estimator: String
        public var statistic: Double?
        public var bootstrapPValue: Double?

        public init(programme: String, outcome: String, estimator: String, statistic: Double?, bootstrapPValue: Double?) {
            self.programme = programme
            self.outcome = outcome
            self.estimator = estimator
            self.statistic = statistic
            self.bootstrapPValue = bootstrapPValue
        }

        enum CodingKeys: String, CodingKey {
            case programme, outcome, estimator, statistic, bootstrapPValue = "bootstrap_p_value"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(programme, forKey: .programme)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(estimator, forKey: .estimator)
            try container.encode(statistic, forKey: .statistic)
            try container.encode(bootstrapPValue, forKey: .bootstrapPValue)
        }
    }

    /// A headline left out of the joint family, and why.
    public struct Excluded: JSONRecord, Sendable {
        public var programme: String
        public var outcome: String
        public var estimator: String
        public var reason: String

        public init(programme: String, outcome: String, estimator: String, reason: String) {
            self.programme = programme
            self.outcome = outcome
            self.estimator = estimator
            self.reason = reason
        }
    }

    public var replicates: Int
    public var seed: UInt64
    public var weights: String
    /// The variable whose clusters share one weight in every member.
    public var cluster: String
    public var clusters: Int
    public var members: [Member]
    public var excluded: [Excluded]
    /// Why no p-value was computed, when the bootstrap could not run.
    public var failure: String?

    public init(replicates: Int, seed: UInt64, weights: String, cluster: String, clusters: Int, members: [Member], excluded: [Excluded], failure: String?) {
        self.replicates = replicates
        self.seed = seed
        self.weights = weights
        self.cluster = cluster
        self.clusters = clusters
        self.members = members
        self.excluded = excluded
        self.failure = failure
    }

    enum CodingKeys: String, CodingKey {
        case method, replicates, seed, weights, cluster, clusters, members, excluded, failure
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("multiplier", forKey: .method)
        try container.encode(replicates, forKey: .replicates)
        // As a string: seeds may exceed what a JSON reader holds exactly in a double.
        try container.encode(String(seed), forKey: .seed)
        try container.encode(weights, forKey: .weights)
        try container.encode(cluster, forKey: .cluster)
        try container.encode(clusters, forKey: .clusters)
        try container.encode(members, forKey: .members)
        try container.encode(excluded, forKey: .excluded)
        try container.encode(failure, forKey: .failure)
    }
}
