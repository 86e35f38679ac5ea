#!/usr/bin/env python3
"""Writes the JSON Schemas (draft 2020-12) of Quipu's JSON outputs into this folder.

The shared parts of the contract (coefficients, subset, drops, Wald tests, cohorts, trend
points, timings) are defined once here, as they are defined once in Swift
(Sources/Primitives/Contract/*Record.swift), and copied into the `$defs` of each schema that
uses them, so that every schema file stands alone. Objects are closed
(`additionalProperties: false`): a new key in an output must be added here deliberately, or the
schema tests (Tests/QuipuTests/OutputSchemaTests.swift) fail. Numbers that can be NA are
`["number", "null"]` (JSON has no NaN; Quipu writes NA as null).

Run `python3 docs/schema/make_schemas.py` after changing a shape (and bump
`OutputContract.schemaVersion` in Sources/Primitives/OutputContract.swift and VERSION below).
"""
import json
import os

VERSION = "2.2"
HERE = os.path.dirname(os.path.abspath(__file__))

NUM = {"type": "number"}
NUM_NA = {"type": ["number", "null"]}
INT = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
STR = {"type": "string"}
STR_NA = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
ESTIMATORS = ["twfe", "cs", "sunab", "imputation", "etwfe", "twostage", "cic", "qdid", "qtt", "ddd", "dcdh"]


def ref(name):
    return {"$ref": "#/$defs/" + name}


def array(items, **extra):
    return {"type": "array", "items": items, **extra}


def obj(properties, optional=(), closed=True, description=None):
    """An object whose keys are all required except `optional`."""
    schema = {"type": "object"}
    if description:
        schema["description"] = description
    schema["required"] = [key for key in properties if key not in optional]
    schema["properties"] = properties
    if closed:
        schema["additionalProperties"] = False
    return schema


def open_map(values):
    """An object whose keys are data (labels, codes), all with values of one shape."""
    return {"type": "object", "additionalProperties": values}


INFERENCE = {"estimate": NUM_NA, "std_error": NUM_NA, "statistic": NUM_NA, "p_value": NUM_NA,
             "conf_low": NUM_NA, "conf_high": NUM_NA}
PERCENT = {"percent_change": NUM_NA, "percent_conf_low": NUM_NA, "percent_conf_high": NUM_NA}

BOOTSTRAP_FIELDS = {
    "method": {"enum": ["wild", "pairs"]}, "weights": STR_NA, "reps": COUNT, "seed": INT,
    "impose_null": BOOL, "full_enumeration": BOOL, "cluster": STR, "p_value": NUM_NA, "std_error": NUM_NA,
    "conf_low": NUM_NA, "conf_high": NUM_NA, "conf_unbounded": {"const": True}, "interval": {"const": "percentile"},
    "normal_conf_low": NUM_NA, "normal_conf_high": NUM_NA, "failed_reps": COUNT,
}
BOOTSTRAP_OPTIONAL = ["impose_null", "std_error", "conf_unbounded", "interval", "normal_conf_low", "normal_conf_high", "failed_reps"]

def described(schema, text):
    return {**schema, "description": text}


DROP_COMMON = {
    "subset": described(COUNT, "rows a --subset removed (nobs_read counts the rows before it)"),
    "missing": described(COUNT, "rows with an empty, NA, NaN or . value in a variable used"),
    "non_finite": described(COUNT, "rows with an infinite value (inf, -Inf, 1e400)"),
    "undefined_transform": described(COUNT, "rows whose value is present but a function of it undefined (log or log1p out of its domain, sqrt of a negative, exp overflowing, division by zero)"),
    "undefined_transforms": described(array(obj({"reason": STR, "rows": COUNT})), "undefined_transform by reason, as the text output names them"),
    "singletons": described(COUNT, "fixed-effect singletons"),
    "zero_weight": described(COUNT, "rows with zero weight"),
}
COLLINEAR = described(array(STR), "regressors dropped as collinear or absorbed by the fixed effects (names, not rows)")

# Every shared definition; each schema copies the ones it refers to.
# PretrendPowerRecord's keys: did's `pretrend_power`, and after the programme and outcome the
# report's `trust.pretest_power`.
PRETREND_POWER = {"estimator": {"enum": ESTIMATORS}, "alpha": NUM, "df": COUNT, "critical_value": NUM_NA,
                  "reference_period": INT, "pre_event_times": array(INT), "year_on_year": BOOL, "target": STR,
                  "target_event_times": array(INT),
                  "detected": array(obj({"power": NUM, "slope": NUM_NA, "bias": NUM_NA})), "note": STR}

DEFS = {
    "schema_version": {"const": VERSION, "description": "OutputContract.schemaVersion"},
    "nullable_number": NUM_NA,
    "subset": obj({"expression": STR, "rows_before": COUNT, "rows_kept": COUNT, "removed": COUNT,
                   "removed_false": COUNT, "removed_na": COUNT}, description="SubsetRecord: what --subset kept and removed"),
    "fixed_effect": obj({"name": STR, "levels": COUNT}),
    "cohort_size": obj({"cohort": {"anyOf": [INT, {"const": "never"}]}, "units": COUNT}, description="CohortSizeRecord"),
    "bootstrap": obj(BOOTSTRAP_FIELDS, optional=BOOTSTRAP_OPTIONAL, description="BootstrapSummary: a coefficient's bootstrap inference"),
    "bootstrap_restriction": obj({"restriction": STR, **BOOTSTRAP_FIELDS}, optional=BOOTSTRAP_OPTIONAL),
    "coefficient": obj({"term": STR, **INFERENCE, "bootstrap": ref("bootstrap")}, optional=["bootstrap"],
                       description="CoefficientRecord, with the bootstrap's inference when one was asked for"),
    "poisson_coefficient": obj({"term": STR, **INFERENCE, "percent_change": NUM_NA, "percent_conf_low": NUM_NA,
                                "percent_conf_high": NUM_NA}),
    "dropped": obj({**DROP_COMMON, "collinear": COLLINEAR}, description="DropRecord of feols"),
    "poisson_dropped": obj({**DROP_COMMON, "all_zero_fixed_effect": described(COUNT, "rows in fixed-effect groups whose outcome is zero throughout"),
                            "separated": described(COUNT, "rows dropped for separation"), "collinear": COLLINEAR},
                           description="DropRecord of fepois: the common reasons, then Poisson's own"),
    "wald_test": obj({"statistic": NUM_NA, "df1": COUNT, "df2": NUM_NA, "p_value": NUM_NA, "terms": array(STR)},
                     optional=["terms"], description="WaldTestRecord"),
    "covariance": obj({"labels": array(STR), "matrix": array(array(NUM_NA))},
                      description="CovarianceRecord: a covariance matrix (row-major, NA as null) with the labels of its rows and columns"),
    "trend_point": obj({"group": STR, "period": INT, "n": COUNT, "value": NUM_NA}, description="TrendPointRecord"),
    "split_sample": {"oneOf": [{"type": "null"}, obj({"split": STR, "value": STR_NA})]},
    "sensitivity": obj({"estimator": {"enum": ESTIMATORS}, "restriction": {"enum": ["rm", "sd"]}, "method": STR, "target": STR,
                        "target_weights": array(obj({"event_time": INT, "weight": NUM})),
                        "pre_event_times": array(INT), "post_event_times": array(INT), "conf_level": NUM,
                        "original": {"oneOf": [{"type": "null"}, obj({"bound": NUM, "conf_low": NUM_NA, "conf_high": NUM_NA})]},
                        "intervals": array(obj({"bound": NUM, "conf_low": NUM_NA, "conf_high": NUM_NA})),
                        "breakdown": NUM_NA, "error": STR}, optional=["error"],
                       description="SensitivityRecord: one Rambachan–Roth curve of quipu did --sensitivity (bound: M̄ for rm, M for sd)"),
}


def regression_fields(command):
    """The keys of one feols or fepois model, in the order written."""
    shared_head = {"schema_version": ref("schema_version"), "command": {"const": command}, "subset": ref("subset"),
                   "formula": STR, "dependent": STR}
    if command == "feols":
        fields = {**shared_head, "nobs": COUNT, "nobs_read": COUNT, "vcov": STR, "n_clusters": {"type": ["integer", "null"]},
                  "df_t": NUM_NA, "weights": STR_NA, "fixed_effects": array(ref("fixed_effect")), "fixed_effects_redundant": COUNT,
                  "r2": NUM_NA, "adj_r2": NUM_NA, "r2_within": NUM_NA, "rmse": NUM_NA, "dropped": ref("dropped"),
                  "cluster_sizes": array(COUNT), "conf_level": NUM, "coefficients": array(ref("coefficient")),
                  "vcov_matrix": ref("covariance"), "bootstrap_restriction": ref("bootstrap_restriction"), "notes": array(STR)}
        optional = ["subset", "cluster_sizes", "bootstrap_restriction"]
    else:
        fields = {**shared_head, "family": {"const": "poisson"}, "nobs": COUNT, "nobs_read": COUNT, "vcov": STR,
                  "n_clusters": {"type": ["integer", "null"]}, "distribution": {"const": "normal"}, "weights": STR_NA,
                  "fixed_effects": array(ref("fixed_effect")), "fixed_effects_redundant": COUNT,
                  "log_likelihood": NUM_NA, "null_log_likelihood": NUM_NA, "deviance": NUM_NA, "pseudo_r2": NUM_NA,
                  "iterations": COUNT, "dropped": ref("poisson_dropped"), "separating_regressors": array(STR),
                  "cluster_sizes": array(COUNT), "conf_level": NUM, "coefficients": array(ref("poisson_coefficient")),
                  "vcov_matrix": ref("covariance"), "notes": array(STR)}
        optional = ["subset", "cluster_sizes"]
    return fields, optional


# --adjust: a family of tests and their multiplicity-adjusted p-values (Reporting/AdjustedPValues.swift).
ADJUSTMENTS = ["holm", "bh", "sharpened", "romano-wolf", "westfall-young"]
MULTIPLE_TESTING = obj({
    "family": STR, "methods": array({"enum": ADJUSTMENTS}), "bootstrap": STR_NA,
    "members": array(obj({"model": STR, "term": STR, "estimate": NUM_NA, "statistic": NUM_NA, "p_value": NUM_NA,
                          "adjusted": obj({name: NUM_NA for name in ADJUSTMENTS}, optional=ADJUSTMENTS)})),
})


# The report's joint multiplier bootstrap behind Romano–Wolf and Westfall–Young across headlines
# (Primitives/Contract/JointBootstrapRecord.swift).
JOINT_BOOTSTRAP = obj({
    "method": {"const": "multiplier"}, "replicates": COUNT, "seed": STR, "weights": STR, "cluster": STR, "clusters": COUNT,
    "members": array(obj({"programme": STR, "outcome": STR, "estimator": STR, "statistic": NUM_NA, "bootstrap_p_value": NUM_NA})),
    "excluded": array(obj({"programme": STR, "outcome": STR, "estimator": STR, "reason": STR})),
    "failure": STR_NA,
}, description="one weight per cluster and replicate, shared by every member; members left out are named with why")


def regression_schema(command, title):
    fields, optional = regression_fields(command)
    single = obj(fields, optional=optional)
    entry_fields = {"schema_version": fields["schema_version"], "command": fields["command"], "label": STR,
                    "sample": ref("split_sample")}
    entry_fields.update({k: v for k, v in fields.items() if k not in entry_fields})
    fitted = obj(entry_fields, optional=optional)
    failed = obj({"schema_version": ref("schema_version"), "command": {"const": command}, "label": STR,
                  "sample": ref("split_sample"), "formula": STR, "dependent": STR, "error": STR})
    return document(title, {"oneOf": [
        {"description": "one model", **single},
        {"description": "several models (c(), sw(), csw(), --split, --fsplit): each entry is one model's document with its label and sample, or the reason it failed",
         **obj({"schema_version": ref("schema_version"), "command": {"const": command}, "n_models": COUNT, "n_failed": COUNT,
                "models": array({"oneOf": [fitted, failed]}), "multiple_testing": MULTIPLE_TESTING},
               optional=["multiple_testing"])},
    ]})


# A log-ratio estimate as a percent change, 100·(exp(·) − 1) (--effect proportional; TWFE Poisson rows).
PERCENT = {"percent_change": NUM_NA, "percent_conf_low": NUM_NA, "percent_conf_high": NUM_NA}


def did_document():
    cell = obj({"estimator": {"enum": ESTIMATORS}, "group": INT, "time": INT, "event_time": INT, **{k: NUM_NA for k in
                ["estimate", "std_error", "conf_low", "conf_high"]}, "n_treated": COUNT, "n_control": {"type": ["integer", "null"]},
                "uniform_low": NUM_NA, "uniform_high": NUM_NA, "scale": {"const": "log_ratio"}, **PERCENT, "quantile": NUM},
               optional=["time", "event_time", "uniform_low", "uniform_high", "scale", *PERCENT, "quantile"])
    aggregate = obj({"estimator": {"enum": ESTIMATORS}, "type": {"enum": ["simple", "group", "dynamic", "calendar"]}, "label": STR,
                     "overall": BOOL,
                     "by": array(obj({"event_time": INT, "group": INT, "time": INT}, optional=["event_time", "group", "time"]), maxItems=1),
                     **INFERENCE, "n_treated": COUNT, "n_cohorts": COUNT, "uniform_low": NUM_NA, "uniform_high": NUM_NA,
                     "scale": {"const": "log_ratio"}, **PERCENT, "quantile": NUM},
                    optional=["uniform_low", "uniform_high", "scale", *PERCENT, "quantile"],
                    description="An effect of an estimator's effect set (TWFE's coefficient is its simple, its event study its "
                                "dynamic aggregate; the percentage effects with --model poisson; the extended TWFE's Poisson log ratios of means carry scale; "
                                "the distributional estimators' quantile effects carry quantile, their mean effects none)")
    two_by_two = obj({"term": STR, **INFERENCE, **PERCENT, "difference_of_means": NUM_NA}, optional=[*PERCENT],
                     description="The 2x2 comparison's regression coefficient (the percentage effects with --model poisson) "
                                 "and the same estimate as a difference of the four means (least squares only)")
    critical_values = obj({key: NUM_NA for key in ["att_gt", "cohort_period", "simple", "group", "dynamic", "calendar"]},
                          optional=["att_gt", "cohort_period", "simple", "group", "dynamic", "calendar"])
    bacon = obj({"twfe_estimate": NUM_NA, "weighted_sum": NUM_NA, "forbidden_weight": NUM_NA,
                 "by_type": array(obj({"type": ref("bacon_type"), "weight": NUM_NA, "estimate": NUM_NA})),
                 "comparisons": array(obj({"type": ref("bacon_type"), "treated": INT, "control": {"anyOf": [INT, {"const": "never"}]},
                                           "estimate": NUM_NA, "weight": NUM_NA}))},
                description="The Goodman-Bacon decomposition (--decompose)")
    fields = {
        "schema_version": ref("schema_version"), "command": {"const": "did"}, "subset": ref("subset"),
        "model": {"enum": ["linear", "poisson", "logit"]}, "effect": {"const": "proportional"}, "dependent": STR, "unit": STR, "time": STR, "nobs": COUNT, "vcov": STR,
        "n_clusters": {"type": ["integer", "null"]}, "cohorts": array(ref("cohort_size")),
        "reference_period": INT, "window": array(INT, minItems=2, maxItems=2),
        "estimators": array({"enum": ESTIMATORS}), "headline": STR_NA, "conf_level": NUM_NA,
        "inference": array(obj({"estimator": {"enum": ESTIMATORS}, "method": STR, "nobs": COUNT,
                                "n_clusters": {"type": ["integer", "null"]}, "notes": array(STR),
                                "vcov": STR, "two_by_two": {"oneOf": [{"type": "null"}, two_by_two]}, "bacon": bacon},
                               optional=["vcov", "two_by_two", "bacon"],
                               description="An estimator's inference; TWFE's adds what only its regressions report: the regression "
                                           "covariance (vcov), the 2x2 comparison and the Goodman-Bacon decomposition (--decompose)")),
        "sample": array(obj({"estimator": {"enum": ESTIMATORS}, "rows_read": COUNT, "rows": COUNT, "units": COUNT,
                             "units_per_cohort": array(ref("cohort_size")),
                             "dropped": array(obj({"reason": STR, "rows": COUNT, "units": COUNT})), "panel": STR,
                             "covariate_support": obj({"covariates": array(STR), "treated_units_kept": COUNT,
                                                       "treated_units_available": COUNT, "cohorts_kept": COUNT,
                                                       "cohorts_available": COUNT, "reasons": array(STR)},
                                                      description="Callaway–Sant'Anna with covariates that cost treated units or cohorts: what it kept of what it had without them")},
                            optional=["covariate_support"])),
        "att_gt": array(cell), "cohort_period": array(cell), "aggregates": array(aggregate),
        "covariances": array(obj({"estimator": {"enum": ESTIMATORS}, "aggregate": {"enum": ["simple", "group", "dynamic", "calendar"]},
                                  "scale": {"enum": ["level", "log_ratio"]}, "labels": array(STR), "matrix": array(array(NUM_NA))},
                                 description="The analytic covariance of one aggregate set of an estimator (CovarianceRecord; labels as --combine names them)")),
        "combinations": array(obj({"estimator": {"enum": ESTIMATORS}, "expression": STR, "weights": open_map(NUM_NA),
                                   "estimate": NUM_NA, "std_error": NUM_NA, "p_value": NUM_NA, "conf_low": NUM_NA,
                                   "conf_high": NUM_NA, "inference": STR})),
        "bootstrap": array(obj({"estimator": {"enum": ESTIMATORS}, "inference": STR, "uniform_critical_values": critical_values,
                                "quantile_band_critical_values": open_map(NUM_NA)}, optional=["quantile_band_critical_values"],
                               description="Bootstrap bands: uniform over each kind's estimates, and for the distributional estimators "
                                           "over the quantiles of each mean effect (keyed by its label)")),
        "pretrend_tests": array(obj({"estimator": {"enum": ESTIMATORS}, "statistic": NUM_NA, "df1": COUNT, "df2": NUM_NA,
                                     "p_value": NUM_NA, "terms": array(STR), "description": STR, "note": STR,
                                     "excluded": array(obj({"label": STR, "event_time": INT, "n_treated": COUNT, "n_cohorts": COUNT}))},
                                    optional=["terms", "note", "excluded"],
                                    description="An estimator's pre-trend test (TWFE's: the event study's F, with its terms); note: a generalized "
                                                "inverse with the rank as df1, or why there is no statistic; excluded: the leads on fewer than "
                                                "10 treated units left out of the test (PretrendLeads)")),
        "pretrend_power": array(obj(PRETREND_POWER, optional=["note"],
                                    description="PretrendPowerRecord: the pre-test's power against a linear trend (Roth 2022)")),
        "pretrend_warnings": array(STR),
        "sensitivity": array(ref("sensitivity")),
        "switching_treatment": obj({
            "treatment": STR, "switchers": {"enum": ["both", "in", "out"]}, "normalized": BOOL,
            "joiners": COUNT, "leavers": COUNT, "never_switching": COUNT,
            "horizons": array(obj({"label": STR, "kind": {"enum": ["effect", "placebo"]}, "lag": COUNT, "switchers": COUNT,
                                   "controls": COUNT, "treatment_change": NUM_NA, "average_weight": NUM_NA}))},
            description="SwitchingTreatmentRecord (--estimator dcdh): switchers and controls per horizon, the normalization "
                        "delta^D_l (--normalized) and each effect's weight in the average total effect"),
        "notes": array(STR),
    }
    return obj(fields, optional=["subset", "effect", "reference_period", "window", "sensitivity", "switching_treatment"])


DEFS["bacon_type"] = {"enum": ["treated_vs_never", "earlier_vs_later", "later_vs_earlier"]}


def describe_schema():
    by_group = obj({"group": STR, "period": INT, "n": COUNT, **{k: NUM_NA for k in ["mean", "median", "q1", "q3", "min", "max"]}})
    return document("quipu describe --format json", obj({
        "schema_version": ref("schema_version"), "command": {"const": "describe"}, "subset": ref("subset"), "data": STR,
        "unit": STR, "time": STR, "cohort": STR_NA, "treat": STR_NA, "units": COUNT, "periods": array(INT),
        "observations": COUNT, "balanced": BOOL,
        "units_per_period": array(obj({"period": INT, "units": COUNT})),
        "entries_exits": array(obj({"period": INT, "entering": COUNT, "exiting": COUNT})),
        "cohorts": array(ref("cohort_size")),
        "status_by_period": array(obj({"period": INT, "treated": COUNT, "not_treated": COUNT})),
        "outcomes": array(obj({"name": STR, "missing_share": NUM_NA, "non_finite": COUNT, "zero_share": NUM_NA,
                               "by_group": array(by_group)})),
    }, optional=["subset", "cohorts", "status_by_period"]))


def trends_schema():
    return document("quipu trends --format json", obj({
        "schema_version": ref("schema_version"), "command": {"const": "trends"}, "subset": ref("subset"), "outcome": STR,
        "statistic": {"enum": ["mean", "median"]}, "by": {"enum": ["status", "cohort"]}, "points": array(ref("trend_point")),
    }, optional=["subset"]))


def table_schema():
    coefficient = obj({"term": STR, "original_term": STR, **INFERENCE, "stars": STR})
    model = obj({"model": {"type": "integer", "minimum": 1}, "source": STR, "command": STR, "dependent": STR, "estimator": STR,
                 "vcov": STR_NA, "nobs": {"type": ["integer", "null"]}, "n_clusters": {"type": ["integer", "null"]},
                 "cluster_sizes": array(COUNT), "sample": obj({"split": STR, "value": STR_NA}),
                 "fixed_effects": array(obj({"name": STR})), "r2": NUM_NA, "adj_r2": NUM_NA, "r2_within": NUM_NA,
                 "pseudo_r2": NUM_NA, "conf_level": NUM_NA, "coefficients": array(coefficient)},
                optional=["cluster_sizes", "sample"])
    return document("quipu table --format json", obj({
        "schema_version": ref("schema_version"), "command": {"const": "table"}, "statistic": {"enum": ["se", "ci", "tstat"]},
        "stars": open_map(NUM), "models": array(model), "multiple_testing": MULTIPLE_TESTING,
    }, optional=["multiple_testing"]))


def report_results_schema():
    effect = obj({"programme": STR, "outcome": STR, "expression": STR, "scale": {"enum": ["log", "level", "poisson", "extensive"]},
                  "estimator": {"enum": ESTIMATORS}, "headline": BOOL, "estimate": NUM_NA, "std_error": NUM_NA, "conf_low": NUM_NA,
                  "conf_high": NUM_NA, "p_value": NUM_NA, "nobs": COUNT, "n_treated": COUNT, "inference": STR, "truth": NUM_NA,
                  "failure": STR_NA, "warnings": array(STR)})
    bacon = obj({"twfe_estimate": NUM_NA, "forbidden_weight": NUM_NA, "units": COUNT,
                 "by_type": array(obj({"type": ref("bacon_type"), "weight": NUM_NA, "estimate": NUM_NA}))})
    wald = DEFS["wald_test"]["properties"]
    schema = document("quipu report: results.json", obj({
        "schema_version": ref("schema_version"), "command": {"const": "report"}, "title": STR, "data": STR, "unit": STR,
        "unit_label": array(STR, minItems=2, maxItems=2), "time": STR, "conf_level": NUM_NA,
        "sample": obj({"rows_read": COUNT, "rows": COUNT, "units": COUNT, "entries": COUNT, "exits": COUNT, "filter": STR_NA,
                       "periods": array(obj({"period": INT, "units": COUNT, "entering": COUNT, "exiting": COUNT,
                                             "treated": open_map(COUNT)})),
                       "outcomes": array(obj({"column": STR, "missing_share": NUM_NA, "zero_share": NUM_NA}))}),
        "overlap": array(obj({"programmes": array(STR, minItems=2, maxItems=2), "both": COUNT, "first_only": COUNT,
                              "second_only": COUNT, "neither": COUNT})),
        "trends": array(obj({"programme": STR, "outcome": STR, "expression": STR, "statistic": {"enum": ["mean", "median"]},
                             "points": array(ref("trend_point"))})),
        "headline": array(ref("effect")),
        "headline_adjusted": obj({"family": STR, "methods": array({"enum": ADJUSTMENTS}),
                                  "members": array(obj({"programme": STR, "outcome": STR, "estimator": {"enum": ESTIMATORS},
                                                        "p_value": NUM_NA,
                                                        "adjusted": obj({name: NUM_NA for name in ADJUSTMENTS}, optional=ADJUSTMENTS)})),
                                  "joint_bootstrap": JOINT_BOOTSTRAP}, optional=["joint_bootstrap"]),
        "trust": obj({
            "breakdown": array(obj({"programme": STR, "outcome": STR, "estimator": {"enum": ESTIMATORS}, "target": STR,
                                    "varying_base_period": BOOL,
                                    "curves": array(obj({"restriction": {"enum": ["rm", "sd"]}, "method": STR,
                                                         "original": {"oneOf": [{"type": "null"}, obj({"bound": NUM, "conf_low": NUM_NA, "conf_high": NUM_NA})]},
                                                         "intervals": array(obj({"bound": NUM, "conf_low": NUM_NA, "conf_high": NUM_NA})), "breakdown": NUM_NA, "error": STR},
                                                        optional=["error"])),
                                    "failure": STR_NA},
                                   description="ReportBreakdownRecord: a headline's Rambachan–Roth curves over the programme's event window "
                                               "(bound: M̄ for rm, M for sd) and breakdown values")),
            "pretest_power": array(obj({"programme": STR, "outcome": STR, **PRETREND_POWER}, optional=["note"],
                                       description="ReportPretestPowerRecord: a headline's PretrendPowerRecord (Roth 2022)")),
            "design_power": array(obj({"programme": STR, "outcome": STR, "n_treated": COUNT, "n_control": COUNT, "pre_periods": COUNT,
                                       "post_periods": COUNT, "start": INT, "staggered": BOOL, "power": NUM, "significance": NUM,
                                       "mde": NUM_NA, "estimate": NUM_NA, "failure": STR_NA},
                                      description="ReportDesignPowerRecord: a headline design's minimum detectable effect "
                                                  "(Burlig, Preonas & Woerman 2020)")),
        }, description="How far to trust this: the report section's breakdown values, pre-test power and design MDE"),
        "effects": array(ref("effect")),
        "event_study": array(obj({"programme": STR, "outcome": STR, "estimator": {"enum": ESTIMATORS},
                                  "points": array(obj({"event_time": INT, "estimate": NUM_NA, "conf_low": NUM_NA, "conf_high": NUM_NA}))})),
        "pretrend_tests": array(obj({"programme": STR, "outcome": STR, "estimator": {"enum": ESTIMATORS}, "description": STR,
                                     "statistic": wald["statistic"], "df1": wald["df1"], "df2": wald["df2"], "p_value": wald["p_value"]})),
        "bacon": array(obj({"programme": STR, "outcome": STR, "decomposition": {"oneOf": [{"type": "null"}, bacon]}, "failure": STR_NA})),
        "bootstrap": array(obj({"programme": STR, "outcome": STR, "estimate": NUM_NA, "analytic_std_error": NUM_NA,
                                "bootstrap_std_error": NUM_NA, "conf_low": NUM_NA, "conf_high": NUM_NA,
                                "dynamic_critical_value": NUM_NA, "replicates": COUNT, "seed": STR})),
        "subgroups": array(obj({"column": STR, "level": STR, "flag": STR_NA, "effect": ref("effect")})),
        "notes": array(STR),
        "runs": array(obj({"programme": STR, "outcome": STR, "estimator": {"enum": ESTIMATORS}, "result": ref("did")},
                          description="each estimator's full quipu did document")),
    }), extra_defs={"effect": effect, "did": did_document()})
    return schema


def manifest_schema():
    return document("quipu report: manifest.json", obj({
        "schema_version": ref("schema_version"), "quipu_version": STR, "quipu_commit": STR_NA, "command": STR, "spec_path": STR,
        "spec": STR, "data": obj({"path": STR, "sha256": STR}), "seed": STR, "bootstrap_replicates": COUNT, "threads": COUNT,
        "started_at": STR, "wall_seconds": NUM, "files": array(STR),
    }))


def truth_schema():
    effect_fields = {"n": COUNT, "n_positive": COUNT, "log_effect": NUM_NA, "level_effect": NUM_NA, "log_ratio_of_means": NUM_NA,
                     "mean_y1": NUM_NA, "mean_y0": NUM_NA}
    programme_design = obj({"cap_years": COUNT, "slope": open_map(NUM), "cohort_factor": open_map(NUM)})
    group = obj({"programme": ref("programme"), "outcome": STR,
                 "simple": {"oneOf": [{"type": "null"}, obj(effect_fields)]},
                 "simple_cohort_size": {"oneOf": [{"type": "null"}, obj(effect_fields)]},
                 "event_time": array(obj({"event_time": {"type": ["integer", "null"]}, **effect_fields})),
                 "cohort": array(obj({"cohort": {"type": ["integer", "null"]}, **effect_fields})),
                 "size_class": array(obj({"size_class": STR, **effect_fields})),
                 "quantile_effects": array(obj({"quantile": NUM, "level_effect": NUM_NA, "log_effect": NUM_NA},
                                               description="Quantile of Y1 minus quantile of Y0 among the treated firm-years"))})
    cell = obj({"programme": ref("programme"), "cohort": INT, "year": INT, "event_time": INT, "outcome": STR, "aggregated": BOOL,
                **effect_fields})
    return document("quipu simulate peru --truth FILE.json", obj({
        "schema_version": ref("schema_version"), "dataset": STR,
        "options": obj({"seed": COUNT, "firms": COUNT, "first_year": INT, "last_year": INT, "selection_on_growth": BOOL,
                        "effect_scale": NUM, "effects_of": {"enum": ["both", "cbi", "pum"]}, "cbi_firms": COUNT, "pum_firms": COUNT,
                        "rows": COUNT}),
        "definitions": open_map(STR),
        "design": obj({"formula": STR, "parallel_trends": obj({"without_support": STR, "each_programme": STR}),
                       "responsiveness": STR, "size_multiplier": open_map(NUM), "cbi": programme_design,
                       "pum": programme_design}),
        "aggregates": array(group), "cells": array(cell),
    }), extra_defs={"programme": {"enum": ["cbi", "pum"]}})


def timings_schema():
    durations = ["read", "fit", "frame", "estimate", "vcov"]
    fields = {f"{stage}_seconds": NUM_NA for stage in durations}
    fields.update({"read_bytes": COUNT, "models": COUNT, "irls_iterations": COUNT, "absorption_sweeps": COUNT,
                   "absorption_stage": STR_NA, "solver": STR, "total_seconds": NUM_NA, "peak_memory_bytes": COUNT})
    optional = [key for key in fields if key not in ("read_seconds", "total_seconds", "peak_memory_bytes")]
    return document("--timings (one JSON line on standard error, every command)", obj({
        "timings": obj(fields, optional=optional, description="TimingsRecord: <stage>_seconds, counts, total_seconds, peak_memory_bytes"),
        "schema_version": ref("schema_version"),
    }))


def power_schema():
    """`quipu power --format json` (Sources/Primitives/Contract/PowerRecord.swift)."""
    analytic = obj({
        "errors_source": {"enum": ["pilot", "given"]}, "variance": NUM, "pre_covariance": NUM, "post_covariance": NUM,
        "cross_covariance": NUM, "pilot_units": NUM_NA, "windows": {"type": ["integer", "null"]},
        "critical_values": {"enum": ["t", "normal"]}, "degrees_of_freedom": NUM_NA, "std_error": NUM, "mde": NUM_NA,
        "effect": NUM_NA, "power_at_effect": NUM_NA},
        description="Burlig, Preonas & Woerman (2020): the DiD estimate's standard error and minimum detectable effect")
    point = obj({"effect": NUM, "power": NUM_NA, "monte_carlo_se": NUM_NA, "replicates": COUNT, "failures": COUNT,
                 "mean_estimate": NUM_NA})
    simulation = obj({"source": {"enum": ["resample", "peru"]}, "effect_unit": {"enum": ["outcome", "effect_scale"]},
                      "estimator": STR, "replicates": COUNT, "seed": COUNT, "curve": array(point), "mde": NUM_NA},
                     description="simulated power by effect size; mde interpolated where power crosses the target (null: not bracketed)")
    return document("quipu power --format json", obj({
        "schema_version": ref("schema_version"), "outcome": STR_NA,
        "design": obj({"treated": COUNT, "controls": COUNT, "pre_periods": COUNT, "post_periods": COUNT,
                       "alpha": NUM, "power": NUM}),
        "analytic": {"anyOf": [analytic, {"type": "null"}]},
        "simulation": {"anyOf": [simulation, {"type": "null"}]},
    }))


def used_refs(node, found):
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            found.add(target[len("#/$defs/"):])
        for value in node.values():
            used_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            used_refs(value, found)


def document(title, body, extra_defs=None):
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
              "description": f"Quipu output contract, schema_version {VERSION}. Generated by docs/schema/make_schemas.py."}
    schema.update(body)
    pool = {**DEFS, **(extra_defs or {})}
    needed, seen = set(), set()
    used_refs(schema, needed)
    while needed - seen:  # definitions refer to further definitions
        name = sorted(needed - seen)[0]
        seen.add(name)
        used_refs(pool[name], needed)
    schema["$defs"] = {name: pool[name] for name in sorted(seen)}
    return schema


def main():
    schemas = {
        "feols": regression_schema("feols", "quipu feols --format json"),
        "fepois": regression_schema("fepois", "quipu fepois --format json"),
        "did": document("quipu did --format json", did_document()),
        "describe": describe_schema(),
        "trends": trends_schema(),
        "table": table_schema(),
        "report-results": report_results_schema(),
        "report-manifest": manifest_schema(),
        "simulate-truth": truth_schema(),
        "timings": timings_schema(),
        "power": power_schema(),
    }
    for name, schema in schemas.items():
        with open(os.path.join(HERE, f"{name}.schema.json"), "w") as handle:
            handle.write(json.dumps(schema, indent=2) + "\n")


if __name__ == "__main__":
    main()
