import Primitives
/// The models of one multiple estimation, in fixest's order (sample, outcome, fixed effects,
/// regressors), with their JSON and text renderings.
public struct ModelList: Sendable {
    /// The command that fitted them (`feols`).
    public let command: String
    /// The models, fitted or failed.
    public let models: [EstimatedModel]
    /// The models' coefficients adjusted for multiple testing (`--adjust`), shown after them.
    public var multipleTesting: AdjustedPValues?

    /// Creates the list.
    public init(command: String, models: [EstimatedModel]) {
        self.command = command
        self.models = models
    }

    /// `{"command": ..., "models": [...]}`: each fitted model is the single-model object with
    /// `label` and `sample` added; a failed one holds `label`, `sample`, `formula`, `dependent`
    /// and `error`. `sample` is `{"split": VAR, "value": LEVEL}` (`value` null for the full
    /// sample of `--fsplit`), or null without a split.
    public var json: JSONValue {
        JSONValue.object([
            ("command", .string(command)),
            ("n_models", .integer(models.count)),
            ("n_failed", .integer(models.filter { $0.failure != nil }.count)),
            ("models", .array(models.map(json(of:)))),
        ] + (multipleTesting.map { [("multiple_testing", $0.json)] } ?? [])).versioned()
    }

    private func json(of model: EstimatedModel) -> JSONValue {
        let sample: JSONValue = model.splitVariable.map { variable in
            .object([("split", .string(variable)), ("value", model.splitValue.map { .string($0) } ?? .null)])
        } ?? .null
        let identity: [(String, JSONValue)] = [("label", .string(model.label)), ("sample", sample)]
        switch model.outcome {
        case .fitted(let table):
            guard case .object(var fields) = table.json else { return table.json }
            // After "command", so every entry opens with what it is.
            let at = fields.firstIndex { $0.0 == "command" }.map { $0 + 1 } ?? 0
            fields.insert(contentsOf: identity, at: at)
            return .object(fields)
        case .failed(let reason):
            return JSONValue.object([("command", .string(command))] + identity + [
                ("formula", .string(model.formula)), ("dependent", .string(model.dependent)), ("error", .string(reason)),
            ]).versioned()
        }
    }

    /// Each model's summary under a header line naming it, as fixest prints a multiple
    /// estimation; a failed model shows its reason.
    public var text: String {
        sections(heading: { number, label in "Model \(number) of \(models.count): \(label)\n" }, fitted: { $0.text },
                 failed: { model, reason in "Formula: \(model.formula)\nEstimation failed: \(reason)\n" })
            + (multipleTesting.map { "\n" + $0.text } ?? "")
    }
}
