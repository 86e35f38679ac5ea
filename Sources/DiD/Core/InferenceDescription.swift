/// How an estimator's standard errors were obtained, as its reports state it: the method
/// ("analytic (influence functions)", "regression covariance cluster:firm_id") and, when the
/// estimator names them, the clusters its scores were summed within, with their count when the
/// estimator states it. The count is data, so the did header knows whether the text already says
/// "(N clusters)" without reading the text back.
public struct InferenceDescription: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The clustering an estimator names in its inference text.
    public struct Clustering: Sendable, Equatable {
        /// The variable whose levels are the clusters.
        public let variable: String
        /// The number of clusters, when the text states it; nil when it names the variable only.
        public let statedCount: Int?

        public init(variable: String, statedCount: Int? = nil) {
            self.variable = variable
            self.statedCount = statedCount
        }
    }

    /// The method, without the clustering.
    public let method: String
    /// The clusters, when the estimator names them in its text.
    public let clustering: Clustering?

    public init(method: String, clustering: Clustering? = nil) {
        self.method = method
        self.clustering = clustering
    }

    /// A method that names no clustering of its own (a regression's covariance text, say).
    public init(stringLiteral method: String) {
        self.init(method: method)
    }

    /// "analytic (influence functions), clustered by region (12 clusters)".
    public var description: String {
        guard let clustering else { return method }
        return "\(method), clustered by \(clustering.variable)" + (clustering.statedCount.map { " (\($0) clusters)" } ?? "")
    }

    /// Whether the text states the number of clusters, so that a header need not add it.
    public var statesClusterCount: Bool { clustering?.statedCount != nil }

    /// The same clustering after another method (a bootstrap that resamples the same clusters).
    public func withMethod(_ method: String) -> InferenceDescription {
        InferenceDescription(method: method, clustering: clustering)
    }
}
