import DiD
import Formula
import Foundation
import Inference
import PanelData
import Yams

extension EvaluationSpec {
    static let topLevelKeys = ["title", "data", "unit", "unit_label", "time", "filter", "programmes", "outcomes", "covariates", "subgroups",
                               "estimators", "inference", "trends", "truth"]

    /// Reads and checks a spec file's structure (the data are checked later, by `validate`).
    public static func load(path: String) throws -> EvaluationSpec {
        let text = try specText(path: path)
        do {
            return try parse(text, path: path)
        } catch let error as SpecError where path.lowercased().hasSuffix(".toml") || looksLikeTOML(text) {
            throw SpecError(path: path, location: nil, "is TOML, not YAML: write the spec as YAML (`key: value`, see README, \"The spec\"); read as YAML: \(error.message)")
        }
    }

    /// Parses a spec's YAML text; `path` names the file in messages.
    public static func parse(_ text: String, path: String) throws -> EvaluationSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw SpecError(path: path, location: nil, "the spec file is empty") }
            root = node
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        }
        let top = SpecNode(node: root, keyPath: "", file: path)
        let keys = try top.entries(allowed: topLevelKeys)
        func required(_ key: String) throws -> SpecNode {
            guard let node = keys[key] else { throw top.error("the spec needs '\(key)'") }
            return node
        }
        let defaultEstimators = try keys["estimators"].map { try estimators($0) } ?? [.callawaySantAnna, .twfe]
        var spec = EvaluationSpec(
            path: path, text: text, title: try keys["title"]?.string() ?? "Programme evaluation",
            data: try required("data").string(), unit: try required("unit").string(), time: try required("time").string(),
            filter: try keys["filter"].map { try filterText($0) },
            programmes: [], outcomes: [], covariates: try keys["covariates"]?.strings() ?? [], subgroups: [],
            inference: try keys["inference"].map { try inference($0) } ?? InferenceSettings(),
            trendStatistic: "mean", truth: try keys["truth"]?.string(), keyLocations: keys.mapValues(\.location))
        if let noun = keys["unit_label"] {
            let words = try noun.strings()
            guard (1...2).contains(words.count) else { throw noun.error("give the unit's noun, e.g. state, or the noun and its plural, e.g. [person, people]") }
            spec.unitNoun = UnitNoun(words[0], plural: words.count == 2 ? words[1] : nil)
        }
        if let trends = keys["trends"] {
            spec.trendStatistic = try trends.string()
            guard ["mean", "median"].contains(spec.trendStatistic) else { throw trends.error("'\(spec.trendStatistic)' is not one of mean, median") }
        }
        let programmeNodes = try required("programmes").items()
        guard !programmeNodes.isEmpty else { throw try required("programmes").error("name at least one programme") }
        spec.programmes = try programmeNodes.map { try programme($0, defaultEstimators: defaultEstimators) }
        for (index, programme) in spec.programmes.enumerated() where spec.programmes[..<index].contains(where: { $0.name.lowercased() == programme.name.lowercased() }) {
            throw SpecError(path: path, location: programme.location, "programme name '\(programme.name)' is used twice")
        }
        let outcomeNodes = try required("outcomes").items()
        guard !outcomeNodes.isEmpty else { throw try required("outcomes").error("name at least one outcome") }
        let parsed = try outcomeNodes.map { try outcome($0) }
        // One label serves every scale of a column: an entry without one takes its column's.
        spec.outcomes = parsed.map { entry in
            var outcome = entry.outcome
            outcome.label = entry.label ?? parsed.first { $0.outcome.column == outcome.column && $0.label != nil }?.label ?? outcome.column
            return outcome
        }
        for (index, outcome) in spec.outcomes.enumerated() {
            if spec.outcomes[..<index].contains(where: { $0.slug == outcome.slug }) {
                throw SpecError(path: path, location: outcome.location, "outcome \(outcome.expression) on the \(outcome.scale.rawValue) scale is listed twice")
            }
            if let other = spec.outcomes[..<index].first(where: { $0.title == outcome.title }) {
                throw SpecError(path: path, location: outcome.location, "outcome '\(outcome.column)' has the label '\(outcome.label)' of outcome '\(other.column)' on the same scale: give each its own label")
            }
        }
        spec.subgroups = try keys["subgroups"]?.items().map { node in
            let entries = try node.entries(allowed: ["column", "levels"])
            guard let column = entries["column"] else { throw node.error("a subgroup needs 'column'") }
            return Subgroup(column: try column.string(), levels: try entries["levels"]?.strings(), location: node.location)
        } ?? []
        return spec
    }

    /// A YAML syntax error as a spec error at its line and column.
    static func syntaxError(_ error: YamlError, path: String) -> SpecError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            // libyaml reports where it noticed the fault; the context says where the construct began.
            let begun = context.map { "\($0.text) (begun at line \($0.mark.line))" }
            let what = [begun, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return SpecError(path: path, location: SpecLocation(keyPath: "YAML syntax", line: mark.line, column: mark.column), what)
        default:
            return SpecError(path: path, location: nil, "YAML syntax: \(error)")
        }
    }

    static func estimators(_ node: SpecNode) throws -> [StaggeredEstimator] {
        let items: [SpecNode] = (try? node.items()) ?? [node]
        let result = try items.map { item -> StaggeredEstimator in
            let name = try item.string()
            // dcdh needs a switching treatment and the distributional estimators give quantile curves,
            // which the spec has no keys for yet (issue 25 point 6, issue 24 point 6).
            guard let estimator = StaggeredEstimator(rawValue: name),
                  ![.dcdh, .changesInChanges, .quantileDiD, .panelQTT].contains(estimator) else {
                throw item.error("unknown estimator '\(name)'; choose from cs (Callaway–Sant'Anna), sunab (Sun–Abraham), imputation (Borusyak–Jaravel–Spiess), twostage (Gardner's two-stage DiD), etwfe (Wooldridge's extended TWFE; Poisson outcomes headline its log ratio of means), twfe")
            }
            // Triple differences need a partition column, which the spec has no key for.
            guard estimator != .tripleDifferences else { throw item.error("estimator 'ddd' (triple differences) needs a partition column, which a report spec cannot name yet: run it with quipu did --estimator ddd --partition COLUMN") }
            return estimator
        }
        guard !result.isEmpty else { throw node.error("name at least one estimator") }
        guard Set(result).count == result.count else { throw node.error("an estimator is listed twice") }
        return result
    }

    /// A row filter, checked for syntax here so that its error points into the spec.
    static func filterText(_ node: SpecNode) throws -> String {
        let text = try node.string()
        do { _ = try RowFilter.parse(text) } catch { throw node.error("row filter does not parse:\n\(error.description)") }
        return text
    }

    static func programme(_ node: SpecNode, defaultEstimators: [StaggeredEstimator]) throws -> Programme {
        let keys = try node.entries(allowed: ["name", "label", "cohort", "never_treated", "estimators", "window", "filter", "control", "truth", "fe"])
        guard let name = keys["name"] else { throw node.error("a programme needs 'name'") }
        guard let cohort = keys["cohort"] else { throw node.error("a programme needs 'cohort', the column with its first treated period (0 for never treated)") }
        let programmeName = try name.string()
        var window = -5...5
        if let windowNode = keys["window"] {
            let bounds = try windowNode.items().map { try $0.int() }
            guard bounds.count == 2, bounds[0] < -1, bounds[1] >= 0 else { throw windowNode.error("give [LOW, HIGH] with LOW below -1 and HIGH 0 or more, e.g. [-5, 5]") }
            window = bounds[0]...bounds[1]
        }
        let estimatorList = try keys["estimators"].map { try estimators($0) } ?? defaultEstimators
        var fixedEffects = [String]()
        if let feNode = keys["fe"] {
            if let list = try? feNode.strings() { fixedEffects = list } else { fixedEffects = [try feNode.string()] }
            do { _ = try ModelFormula.parse("y ~ 1 | " + fixedEffects.joined(separator: " + ")) } catch {
                throw feNode.error("fe does not parse as fixed effects (fixest syntax, e.g. year^size_class): \(error)")
            }
            if estimatorList.contains(.callawaySantAnna) {
                throw feNode.error("Callaway–Sant'Anna (cs) takes no further fixed effects: list estimators that take them (imputation, twostage, etwfe, sunab, twfe), or drop fe")
            }
        }
        var programme = Programme(
            name: programmeName, label: try keys["label"]?.string() ?? programmeName, cohort: try cohort.string(),
            estimators: estimatorList, window: window,
            filter: try keys["filter"].map { try filterText($0) },
            control: try keys["control"].map { try $0.choice(CallawaySantAnnaOptions.Control.self) } ?? .never,
            truthName: try keys["truth"]?.string() ?? programmeName.lowercased(), location: node.location,
            neverTreated: try keys["never_treated"].map { node -> NeverTreatedCode in
                guard let code = NeverTreatedCode(parsing: try node.string()) else {
                    throw node.error("never_treated takes an integer (the cohort value of never-treated units, e.g. 0 or 9999) or none (only empty cells)")
                }
                return code
            })
        programme.fixedEffects = fixedEffects
        return programme
    }

    /// An outcome entry, with its label when the entry gives one (the spec fills in the rest).
    static func outcome(_ node: SpecNode) throws -> (outcome: Outcome, label: String?) {
        let keys = try node.entries(allowed: ["column", "scale", "label"])
        guard let column = keys["column"] else { throw node.error("an outcome needs 'column'") }
        guard let scaleNode = keys["scale"] else { throw node.error("an outcome needs 'scale': \(Scale.allCases.map(\.rawValue).joined(separator: ", "))") }
        let scale = try scaleNode.choice(Scale.self)
        let name = try column.string()
        return (Outcome(column: name, scale: scale, label: name, location: scaleNode.location, columnLocation: column.location),
                try keys["label"]?.string())
    }

    static func inference(_ node: SpecNode) throws -> InferenceSettings {
        let keys = try node.entries(allowed: ["vcov", "level", "bootstrap", "seed", "threads", "adjust", "adjust_reps"])
        var settings = InferenceSettings()
        settings.vcov = try keys["vcov"]?.string()
        if let level = keys["level"] {
            settings.level = try level.double()
            guard settings.level > 0.5 && settings.level < 1 else { throw level.error("the confidence level must be between 0.5 and 1, e.g. 0.95") }
        }
        if let bootstrap = keys["bootstrap"] {
            let entries = try bootstrap.entries(allowed: ["method", "reps"])
            if let method = entries["method"], try method.string() != "multiplier" {
                throw method.error("the bootstrap of the report is Callaway–Sant'Anna's multiplier bootstrap: method: multiplier")
            }
            guard let reps = entries["reps"] else { throw bootstrap.error("give 'reps', e.g. 999") }
            settings.bootstrapReplicates = try reps.int()
            guard (99...1_000_000).contains(settings.bootstrapReplicates) else { throw reps.error("use between 99 and 1,000,000 replicates (999 is usual)") }
        }
        if let seed = keys["seed"] {
            guard let value = UInt64(try seed.string()) else { throw seed.error("expected a whole number 0 or more") }
            settings.seed = value
        }
        if let threads = keys["threads"] {
            settings.threads = try threads.int()
            guard (1...256).contains(settings.threads ?? 0) else { throw threads.error("threads must be between 1 and 256") }
        }
        if let adjust = keys["adjust"] { settings.adjustments = try adjustments(adjust) }
        try jointAdjustmentSettings(keys, into: &settings)
        return settings
    }

    /// `adjust: [holm, bh, sharpened, romano-wolf, westfall-young]`: the first three from the raw
    /// p-values, the last two from the joint bootstrap across headlines (EvaluationSpec+JointAdjust).
    static func adjustments(_ node: SpecNode) throws -> [PValueAdjustment] {
        var methods = [PValueAdjustment]()
        for name in try node.strings() {
            guard let method = PValueAdjustment(rawValue: name) else {
                throw node.error("adjust takes \(PValueAdjustment.allCases.map(\.rawValue).joined(separator: ", ")), got '\(name)'")
            }
            if !methods.contains(method) { methods.append(method) }
        }
        return methods
    }
}
