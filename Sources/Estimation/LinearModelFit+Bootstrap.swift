import Inference
import LinearAlgebra

/// Bootstrap inference on a fitted model.
extension LinearModelFit {
    /// The most dummy columns the exact treatment of fixed effects not nested in the bootstrap
    /// clusters may add; beyond it the bootstrap refuses with an explanation.
    public static let bootstrapDummyLimit = 2_000

    /// The wild cluster bootstrap test of H0: coefficient `term` = `value`, with CRV1 statistics
    /// clustered by `covarianceCluster` and weights drawn per `bootstrapCluster` (the same by default).
    ///
    /// Fixed effects enter as wildboottest sees them through pyfixest: as if their dummies were in
    /// the design, so that every bootstrap sample re-estimates them. Fixed effects nested in the
    /// bootstrap clusters are partialled out exactly (the multiplier is constant within each of
    /// their levels, so the bootstrap residuals keep zero level means); the others (a year effect
    /// with firm clusters) become explicit dummy columns. `frame` is the model frame before
    /// absorption; without fixed effects it is not needed.
    public func wildBootstrap(frame: ModelFrame?, term: String, value: Double = 0, covarianceCluster: String,
                              bootstrapCluster: String? = nil, settings: WildBootstrapSettings) throws(EstimationError) -> WildBootstrapResult {
        _ = try coefficientIndex(term)
        return try wildBootstrap(frame: frame, restriction: LinearRestriction(term: term, value: value), covarianceCluster: covarianceCluster,
                                 bootstrapCluster: bootstrapCluster, settings: settings)
    }

    /// The wild cluster bootstrap test of a linear restriction H0: Σ aⱼ βⱼ = r.
    public func wildBootstrap(frame: ModelFrame?, restriction hypothesis: LinearRestriction, covarianceCluster: String,
                              bootstrapCluster: String? = nil, settings: WildBootstrapSettings) throws(EstimationError) -> WildBootstrapResult {
        let slopes = try hypothesis.vector(over: coefficientNames, collinear: collinearNames, absorbed: absorbedReason)
        let covariance = try clusterVariable(covarianceCluster)
        let bootstrap = try clusterVariable(bootstrapCluster ?? covarianceCluster)
        var design = weightedDesign
        var residuals = weightedResiduals
        var estimates = coefficients
        var bread = self.bread
        var dummyBlock: WildBootstrapDummyBlock? = nil
        if !fixedEffects.isEmpty, let frame, let block = fastDummyBlock(frame: frame, bootstrap: bootstrap, covariance: covariance) {
            // One nested and one non-nested fixed effect, unweighted: the fit's own demeaned
            // design plus the non-nested effect's dummy block give the same bootstrap as the
            // dense dummy columns, without building them.
            dummyBlock = block
        } else if !fixedEffects.isEmpty, let frame {
            let exact = try BootstrapDesign(frame: frame, fit: self, bootstrapClusters: bootstrap)
            if let exact {
                design = exact.design
                residuals = exact.residuals
                estimates = exact.coefficients
                bread = exact.bread
            } else {
                // Re-estimating that many dummies in every draw is out of reach, and skipping it
                // would silently change the test: refuse instead.
                throw EstimationError("the wild bootstrap re-estimates fixed effects not nested in the bootstrap clusters in every draw, and these have more than \(Self.bootstrapDummyLimit) levels; cluster the bootstrap at a level that nests them (--boot-cluster) or use --bootstrap pairs")
            }
        }
        // The bootstrap design's first columns are the slopes; dummy columns get weight 0.
        var restriction = [Double](repeating: 0, count: estimates.count)
        for (index, weight) in slopes.enumerated() { restriction[index] = weight }
        let parameters = parameterCount(nestedIn: [covariance])
        let correction = SmallSampleCorrection.fixestDefault
        let kappa = correction.clusterFactor(clusters: covariance.levelCount) * correction.parameterFactor(observations: observationCount, parameters: parameters)
        var problem = WildBootstrapProblem(design: design, residuals: residuals, coefficients: estimates, bread: bread,
                                           restriction: restriction, value: hypothesis.value, covarianceClusters: covariance,
                                           bootstrapClusters: bootstrap, smallSampleFactor: kappa)
        problem.dummyBlock = dummyBlock
        do {
            return try WildClusterBootstrap.test(problem, settings: settings)
        } catch {
            throw EstimationError(error.description)
        }
    }

    /// The dummy block for the common case of one fixed effect nested in both clusterings and one
    /// not nested, without weights; nil otherwise.
    func fastDummyBlock(frame: ModelFrame, bootstrap: ClusterVariable, covariance: ClusterVariable) -> WildBootstrapDummyBlock? {
        guard frame.weights == nil, frame.fixedEffects.count == 2 else { return nil }
        let nested = frame.fixedEffects.filter { $0.isNested(in: bootstrap) && $0.isNested(in: covariance) }
        let others = frame.fixedEffects.filter { !$0.isNested(in: bootstrap) }
        guard nested.count == 1, others.count == 1 else { return nil }
        return WildBootstrapDummyBlock.make(nested: nested[0], other: others[0])
    }

    /// The position of a coefficient, or an error that says why it has none.
    public func coefficientIndex(_ term: String) throws(EstimationError) -> Int {
        if let index = coefficientNames.firstIndex(of: term) { return index }
        if let reason = absorbedReason(term) {
            throw EstimationError("'\(term)' \(reason), so it has no coefficient to test; remove it from --param, or absorb fewer fixed effects")
        }
        if collinearNames.contains(term) {
            throw EstimationError("'\(term)' was dropped as collinear, so no restriction on it can be tested")
        }
        throw EstimationError("'\(term)' is not a coefficient of the model; its coefficients are " + coefficientNames.map { "'\($0)'" }.joined(separator: ", "))
    }

    /// Why `term` has no coefficient when the fixed effects absorbed it, worded to follow the term's
    /// name ("is absorbed by the fixed effects (firm, year): it does not vary within them"); nil
    /// for any other term.
    func absorbedReason(_ term: String) -> String? {
        guard absorbedNames.contains(term) else { return nil }
        return "is absorbed by the fixed effects (" + fixedEffects.map(\.name).joined(separator: ", ") + "): it does not vary within them"
    }

    func clusterVariable(_ name: String) throws(EstimationError) -> ClusterVariable {
        guard let cluster = clusterVariables.first(where: { $0.name == name }) else {
            throw EstimationError("cluster variable '\(name)' was not carried into the fit")
        }
        guard cluster.levelCount >= 2 else {
            throw EstimationError("cluster variable '\(name)' has only \(cluster.levelCount) cluster in the estimation sample; the bootstrap needs at least 2")
        }
        return cluster
    }
}

extension ModelFrame {
    /// The frame made of the drawn clusters of `clusterName`, each draw a distinct cluster: its
    /// rows are copied, and fixed effects nested in the cluster variable get fresh levels per draw
    /// (a firm drawn twice is two firms), while other fixed effects keep theirs.
    public func resampled(clusterName: String, draws: [Int], rowsByCluster: [[Int]]) throws(EstimationError) -> ModelFrame {
        guard let clusterIndex = clusterVariables.firstIndex(where: { $0.name == clusterName }) else {
            throw EstimationError("cluster variable '\(clusterName)' was not carried into the model frame")
        }
        let cluster = clusterVariables[clusterIndex]
        let nested = fixedEffects.map { $0.isNested(in: cluster) }
        var rows = [Int]()
        var drawOfRow = [Int]()
        for (position, drawn) in draws.enumerated() {
            rows.append(contentsOf: rowsByCluster[drawn])
            drawOfRow.append(contentsOf: repeatElement(position, count: rowsByCluster[drawn].count))
        }
        let count = rows.count
        var storage = [Double]()
        storage.reserveCapacity(count * design.columns)
        for column in 0..<design.columns {
            let offset = column * design.rows
            for row in rows { storage.append(design.values[offset + row]) }
        }
        let effects = zip(fixedEffects, nested).map { factor, isNested -> Factor in
            let keys = (0..<count).map { position -> Int64 in
                let code = Int64(factor.codes[rows[position]])
                return isNested ? Int64(drawOfRow[position]) * Int64(factor.levelCount) + code : code
            }
            return Factor(name: factor.name, keys: keys)
        }
        let clusters = clusterVariables.map { variable -> ClusterVariable in
            if variable.name == clusterName {
                return ClusterVariable(name: variable.name, codes: drawOfRow.map { Int32($0) }, count: draws.count)
            }
            let factor = Factor(name: variable.name, keys: rows.map { Int64(variable.codes[$0]) })
            return ClusterVariable(name: variable.name, codes: factor.codes, count: factor.levelCount)
        }
        return ModelFrame(formula: formula, responseName: responseName, response: rows.map { response[$0] },
                          design: Matrix(rows: count, columns: design.columns, values: storage), columnNames: columnNames,
                          weights: weights.map { w in rows.map { w[$0] } }, fixedEffects: effects, clusterVariables: clusters,
                          sampleAccounting: SampleAccounting(rowsRead: count))
    }

    /// The observations of each level of a cluster variable, for resampling.
    public func rowsByCluster(_ clusterName: String) throws(EstimationError) -> [[Int]] {
        guard let cluster = clusterVariables.first(where: { $0.name == clusterName }) else {
            throw EstimationError("cluster variable '\(clusterName)' was not carried into the model frame")
        }
        var rows = [[Int]](repeating: [], count: cluster.levelCount)
        for (row, code) in cluster.codes.enumerated() { rows[Int(code)].append(row) }
        return rows
    }
}
