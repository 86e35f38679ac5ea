import Estimation
import Inference
import LinearAlgebra
import Reporting

/// `quipu combine`'s last step: the solution and the second-pass partials made into the table
/// `quipu feols` prints for the whole data. The residual sum of squares, the meat and the cluster
/// scores are added up in partition order (a cluster's scores by its value, so a cluster whose
/// rows lie in several partitions counts once); the covariance then goes through the same
/// estimators, small-sample factors and checks (`CovarianceEstimator+Combined`), and the fit
/// statistics follow `LinearModel.fit`'s definitions.
public struct CombinedFit: Sendable {
    public let terms: FittedTerms
    public let statistics: LeastSquaresStatistics
    public let covariance: CovarianceEstimate
    public let weights: String?

    /// The fit of the solution at `solutionPath` with the second-pass partials at `paths`.
    public static func combine(solutionPath: String, paths: [String]) throws(PartialError) -> CombinedFit {
        let solution = try PartialRecords.read(path: solutionPath)
        guard solution.stage == "solution", let identity = solution.meta("solution_id") else {
            throw PartialError("\(solutionPath): not a solution (a '\(solution.stage ?? "unknown")' file); give --solution the file `quipu combine` wrote from the first-pass partials")
        }
        let model = try PartialModel(records: solution)
        let set = try PartialSet(paths: paths, stage: "scores")
        if let difference = set.model.difference(from: model) {
            throw PartialError("\(set.partials[0].source): a partial of another model than the solution \(solutionPath) (\(difference))")
        }
        let parts = try PartialSet.part(solution, "count")
        guard set.partials.count == parts else {
            throw PartialError("\(set.partials[0].source): one of \(set.partials.count) partitions, but the solution \(solutionPath) was combined from \(parts)")
        }
        for partial in set.partials where partial.meta("solution_id") != identity {
            throw PartialError("\(partial.source): a second-pass partial of another solution than \(solutionPath) (run `quipu partial --solution \(solutionPath)` again for it)")
        }
        let names = solution.all("coefficient").map(\.key)
        let coefficients = solution.all("coefficient").map(\.value)
        let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var bread = Matrix(rows: names.count, columns: names.count)
        for record in solution.all("bread") {
            if let row = position[record.key], let column = position[record.key2] { bread[row, column] = record.value }
        }
        var residualSquares = CompensatedSum(0)
        for partial in set.partials { residualSquares.add(try partial.statistic("ssr")) }
        let ssr = residualSquares.value
        let observations = Int(try solution.statistic("nobs"))
        let parameters = Int(try solution.statistic("parameters"))
        let input = CombinedCovarianceInput(bread: bread, observationCount: observations, parameterCount: parameters, residualSumOfSquares: ssr)
        let estimator = CovarianceEstimator()
        let covariance: CovarianceEstimate
        do {
            switch model.covariance {
            case .iid:
                covariance = estimator.iid(input)
            case .hetero:
                covariance = try estimator.hetero(input, meat: try summed(set.partials, kind: "meat", names: position, symmetric: true))
            case .cluster(let clusterNames):
                let scores = try clusterScores(set.partials, names: position)
                covariance = try estimator.clustered(input, cluster: clusterNames.first ?? "", scoreSums: scores,
                                                     parameterCount: Int(try solution.statistic("cluster_parameters")))
            }
        } catch let error as PartialError {
            throw error
        } catch {
            throw PartialError("covariance could not be computed: \(error)")
        }
        let totalSumOfSquares = try solution.statistic("tss"), withinSumOfSquares = try solution.statistic("within_ss")
        let hasIntercept = try solution.statistic("has_intercept") == 1, hasFixedEffects = try solution.statistic("has_fixed_effects") == 1
        let r2 = 1 - ssr / totalSumOfSquares
        let adjustedR2 = 1 - (1 - r2) * Double(observations - (hasIntercept ? 1 : 0)) / Double(observations - parameters)
        let statistics = LeastSquaresStatistics(r2: r2, adjustedR2: adjustedR2, withinR2: hasFixedEffects ? 1 - ssr / withinSumOfSquares : nil,
                                                rmse: (ssr / Double(observations)).squareRoot())
        let terms = FittedTerms(
            formula: model.formula.source, responseName: solution.all("response").first?.key ?? "", coefficientNames: names,
            coefficients: coefficients, collinearNames: solution.all("collinear").map(\.key), absorbedNames: solution.all("absorbed").map(\.key),
            sample: PartialMoments.summedSample([solution]), fixedEffects: solution.all("fixed_effect").map { ($0.key, Int($0.value)) },
            redundantFixedEffects: Int(try solution.statistic("redundant")), designNotes: solution.all("note").map(\.key))
        return CombinedFit(terms: terms, statistics: statistics, covariance: covariance, weights: model.weights)
    }

    /// The k × k sum of `kind` records over the partials, in partition order.
    private static func summed(_ partials: [PartialRecords], kind: String, names: [String: Int], symmetric: Bool) throws(PartialError) -> Matrix {
        let order = names.count
        var sums = [CompensatedSum](repeating: CompensatedSum(0), count: order * order)
        for partial in partials {
            for record in partial.all(kind) {
                guard let row = names[record.key], let column = names[record.key2] else {
                    throw PartialError("\(partial.source): \(kind) of unknown coefficients \(record.key), \(record.key2)")
                }
                sums[row * order + column].add(record.value)
                if symmetric && row != column { sums[column * order + row].add(record.value) }
            }
        }
        var matrix = Matrix(rows: order, columns: order)
        for row in 0..<order {
            for column in 0..<order { matrix[row, column] = sums[row * order + column].value }
        }
        return matrix
    }

    /// G × k: each cluster's scores summed over the partitions it has rows in, clusters in order
    /// of first appearance in partition order.
    private static func clusterScores(_ partials: [PartialRecords], names: [String: Int]) throws(PartialError) -> Matrix {
        var slot = [String: Int]()
        var sums = [[CompensatedSum]]()
        for partial in partials {
            for record in partial.records where record.kind == "score" || record.kind == "cluster" {
                let index: Int
                if let existing = slot[record.key] {
                    index = existing
                } else {
                    index = sums.count
                    slot[record.key] = index
                    sums.append([CompensatedSum](repeating: CompensatedSum(0), count: names.count))
                }
                guard record.kind == "score" else { continue }
                guard let column = names[record.key2] else {
                    throw PartialError("\(partial.source): score of unknown coefficient \(record.key2)")
                }
                sums[index][column].add(record.value)
            }
        }
        var matrix = Matrix(rows: sums.count, columns: names.count)
        for (row, cluster) in sums.enumerated() {
            for column in 0..<names.count { matrix[row, column] = cluster[column].value }
        }
        return matrix
    }
}
