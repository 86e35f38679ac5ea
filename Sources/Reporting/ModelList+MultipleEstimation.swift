import Estimation

extension ModelList {
    /// The list of a multiple estimation's models, failed ones kept with their reasons.
    public init(command: String, estimates: [MultipleEstimation.Model<CoefficientTable>]) {
        self.init(command: command, models: estimates.map { model in
            let outcome: EstimatedModel.Outcome
            switch model.result {
            case .success(let fit): outcome = .fitted(fit)
            case .failure(let failure): outcome = .failed(failure.description)
            }
            return EstimatedModel(label: model.label, splitVariable: model.splitVariable, splitValue: model.splitValue,
                                  formula: model.formula, dependent: model.dependent, outcome: outcome)
        })
    }
}
