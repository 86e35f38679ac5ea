import Estimation
import Formula
import Foundation
import Inference
import PanelData
import QuipuTestSupport

/// The repository root, found from this file's location.
let repositoryRoot = Fixture.repositoryRoot

/// A path inside the repository; an absolute path (a temporary file) is returned as it is.
func repositoryPath(_ relative: String) -> String {
    Fixture.path(relative)
}

/// Reads a CSV, builds the frame and fits, the same pipeline as `quipu feols`.
func fitModel(data: String, formula: String, weights: String? = nil, clusters: [String] = [],
              removeSingletons: Bool = true, tolerance: Double = 1e-10, collinearityTolerance: Double = 1e-9) throws -> LinearModelFit {
    let parsed = try ModelFormula.parse(formula)
    let table = try CSVReader.read(path: repositoryPath(data))
    let frame = try ModelFrame(table: table, formula: parsed,
                               options: ModelFrameOptions(weights: weights, clusters: clusters, removeSingletons: removeSingletons))
    return try LinearModel.fit(frame, options: LinearModelOptions(fixedEffectTolerance: tolerance, threads: 2,
                                                               collinearityTolerance: collinearityTolerance))
}

/// The log relative error: the number of correct significant digits, capped at 15.
func logRelativeError(_ value: Double, certified: Double) -> Double {
    let error = certified == 0 ? abs(value) : abs(value - certified) / abs(certified)
    if error == 0 { return 15 }
    return min(15, -log10(error))
}

/// Relative difference, with an absolute floor for values near zero.
func relativeDifference(_ a: Double, _ b: Double, floor: Double = 1e-300) -> Double {
    abs(a - b) / max(abs(b), floor)
}
