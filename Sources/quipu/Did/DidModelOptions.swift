import ArgumentParser
import DiD
import Foundation

/// `quipu did`'s outcome and what enters its regressions besides the treatment.
struct DidModelOptions: ParsableArguments {
    @Option(name: .long, help: "The outcome: a column, or a function of one such as log(sales).")
    var outcome: String

    @Option(name: .long, help: "Regression model: linear (least squares), poisson (PPML, as fepois: keeps zero outcomes, effects in log points and % changes; for twfe and etwfe; auto puts etwfe's log ratio first with staggered cohorts; with cs or imputation it means --effect proportional), or logit (a 0/1 outcome; etwfe only).")
    var model: DiDModel = .linear

    @Option(name: .long, help: "Scale of Callaway–Sant'Anna's and imputation's effects: level (the outcome's units) or proportional (log(E[Y1]/E[Y0]) and % change, Chen & Roth 2024; imputation then has a Poisson first stage). Default: proportional with --model poisson, else level.")
    var effect: DiDEffectScale?

    @Option(name: .long, help: "Comma-separated covariates: added to the regressions; for Callaway–Sant'Anna, time-invariant (baseline) covariates in the propensity score and outcome regression (text columns enter as indicators).")
    var covariates: String?

    @Option(name: .long, help: ArgumentHelp("Further fixed effects for TWFE, Sun–Abraham, imputation, twostage and etwfe (linear); Callaway–Sant'Anna refuses them; fixest syntax, e.g. \"year^size_class\"; repeatable.", valueName: "fe"),
            transform: FixedEffectTerm.parsing)
    var fe: [FixedEffectTerm] = []

    @Option(name: .long, help: "Column of analytic weights.")
    var weights: String?

    @Flag(name: .long, help: "Keep only units observed, with the outcome present, in every period.")
    var balance = false

    /// The names given to --covariates.
    var covariateNames: [String] {
        (covariates ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension DiDModel: ExpressibleByArgument {}
extension DiDEffectScale: ExpressibleByArgument {}
