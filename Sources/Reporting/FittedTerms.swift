import Estimation

/// What a coefficient table shows of a fit besides its inference: the terms and their estimates,
/// the sample, the fixed effects and the design's notes. Taken from a fit on the rows
/// (`init(fit:)`) or built from sums combined across partitions (`quipu combine`), so that both
/// go through the one table and print the same way.
public struct FittedTerms: Sendable {
    public let formula: String
    public let responseName: String
    public let coefficientNames: [String]
    public let coefficients: [Double]
    /// Regressors without an estimate (absorbed or collinear), in design order.
    public let collinearNames: [String]
    /// Those among `collinearNames` that the fixed effects absorb.
    public let absorbedNames: [String]
    public let sample: SampleAccounting
    /// The fixed effects absorbed, in formula order, with their levels.
    public let fixedEffects: [(name: String, levels: Int)]
    public let redundantFixedEffects: Int
    public let designNotes: [String]

    public init(formula: String, responseName: String, coefficientNames: [String], coefficients: [Double], collinearNames: [String],
                absorbedNames: [String], sample: SampleAccounting, fixedEffects: [(name: String, levels: Int)], redundantFixedEffects: Int,
                designNotes: [String]) {
        self.formula = formula
        self.responseName = responseName
        self.coefficientNames = coefficientNames
        self.coefficients = coefficients
        self.collinearNames = collinearNames
        self.absorbedNames = absorbedNames
        self.sample = sample
        self.fixedEffects = fixedEffects
        self.redundantFixedEffects = redundantFixedEffects
        self.designNotes = designNotes
    }

    /// The terms of a fit on the rows.
    public init(fit: some FittedRegression) {
        self.init(formula: fit.formula, responseName: fit.responseName, coefficientNames: fit.coefficientNames, coefficients: fit.coefficients,
                  collinearNames: fit.collinearNames, absorbedNames: fit.absorbedNames, sample: fit.sample,
                  fixedEffects: fit.fixedEffects.map { ($0.name, $0.levelCount) }, redundantFixedEffects: fit.redundantFixedEffects,
                  designNotes: fit.designNotes)
    }
}
