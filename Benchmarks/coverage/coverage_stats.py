"""The arithmetic of the Monte Carlo coverage study: the truth each estimate is held against, and
the summary of many estimates against their truths.

Goals, in order:
1. Each estimate is compared with the true effect *its own aggregate* targets. The truth file
   (`quipu simulate peru --truth t.json`) gives every treated (programme, cohort, year) cell's
   effect and its counts; an estimator's overall effect is a weighted mean of cell effects, and
   estimators weight cells differently: by treated firm-years (TWFE's comparison, imputation,
   ETWFE), over the cells the estimator estimated by their treated firm-years (Sun–Abraham's
   observation shares, fixest `aggregate`), or by cohort size (Callaway–Sant'Anna's `simple`, R did `aggte`). The truth
   aggregate is recomputed here with the same weights, from the estimator's own sample where the
   JSON reports it (units per cohort, cells' treated units), so a sample that drops firm-years
   (zeros under a log, singletons) moves the truth with it.
2. A ratio of means (Poisson's target) aggregates as totals, log(Σ wₖ·m1ₖ / Σ wₖ·m0ₖ), not as
   a mean of cell ratios (Chen & Roth 2024, "Logs with zeros?", the proportional ATT).
3. Standard library only, so the CI self-test needs no environment.

Summary statistics follow the usual Monte Carlo conventions (e.g. Morris, White & Crowther 2019,
"Using simulation studies to evaluate statistical methods", Stat. Med.): bias and RMSE of the
error against each replicate's own truth, the empirical SD of the errors against the mean
reported SE, coverage of the reported interval and the rejection rate of H0: effect = 0, each
with its Monte Carlo standard error.
"""

from __future__ import annotations

import math
import statistics

WEIGHT_RULES = ("treated_observations", "cohort_size", "estimator_cells")


class TruthError(ValueError):
    """The truth file cannot give the estimand asked for (a missing field, no treated cell)."""


def truth_cells(truth: dict, programme: str, outcome: str) -> list[dict]:
    """The post-support cells of one programme and outcome that enter the truth's aggregates
    (cohorts treated from the first panel year have no untreated year and are left out)."""
    return [c for c in truth["cells"]
            if c["programme"] == programme and c["outcome"] == outcome
            and c.get("aggregated", True) and c["event_time"] >= 0 and c["n"] > 0]


def cell_effect(cell: dict, measure: str, default: float | None = None) -> float | None:
    """The cell's value of `measure`; `default` when the truth file has no such field (the
    extensive margin, zero by the simulator's design), None when the field is null."""
    if measure not in cell:
        if default is None:
            raise TruthError(f"the truth file's cells have no '{measure}'")
        return default
    return cell[measure]


def weighted_truth(cells: list[tuple[dict, float]], measure: str, default: float | None = None) -> float:
    """The truth aggregate over (cell, weight) pairs: a weighted mean of the cells' effects, or for
    `log_ratio_of_means` the log of the ratio of the weighted means of Y1 and Y0."""
    cells = [(c, w) for c, w in cells if w > 0]
    if not cells:
        raise TruthError("no treated cell with a positive weight")
    if measure == "log_ratio_of_means":
        usable = [(c, w) for c, w in cells if c.get("mean_y1") is not None and c.get("mean_y0") is not None]
        y1 = sum(w * c["mean_y1"] for c, w in usable)
        y0 = sum(w * c["mean_y0"] for c, w in usable)
        if not usable or y0 <= 0 or y1 <= 0:
            raise TruthError("no cell with positive means of Y1 and Y0")
        return math.log(y1 / y0)
    pairs = [(cell_effect(c, measure, default), w) for c, w in cells]
    pairs = [(e, w) for e, w in pairs if e is not None]
    total = sum(w for _, w in pairs)
    if total <= 0:
        raise TruthError(f"no cell with a '{measure}'")
    return sum(e * w for e, w in pairs) / total


def truth_for(truth: dict, programme: str, outcome: str, scale: dict, weights: str,
              estimator_cells: list[dict] | None = None, units_per_cohort: dict[int, int] | None = None) -> float:
    """The true value of an estimator's overall aggregate.

    scale: the study's scale entry (`truth` measure, `cell_count` = the firm-years a cell's
    measure averages over, `truth_default` for a measure the truth file lacks).
    weights: one of WEIGHT_RULES.
    estimator_cells: the estimator's post-treatment cells ({group, time, n_treated}) when its
    aggregate weights the cells it estimated by their firm-years (Sun–Abraham) or when the
    estimator reports which cells it estimated (Callaway–Sant'Anna's ATT(g,t)).
    units_per_cohort: the estimator's sample's units per cohort (cohort-size weights).
    """
    measure, count = scale["truth"], scale["cell_count"]
    default = scale.get("truth_default")
    cells = truth_cells(truth, programme, outcome)
    if not cells:
        raise TruthError(f"no treated cell for {programme} {outcome}")
    by_key = {(c["cohort"], c["year"]): c for c in cells}
    if weights == "treated_observations":
        return weighted_truth([(c, c[count]) for c in cells], measure, default)
    if weights == "estimator_cells":
        if not estimator_cells:
            raise TruthError("the estimator reported no cells to weight")
        # The cells the estimator estimated, each weighted by its treated firm-years (`cell_count`),
        # as Sun–Abraham's aggregate weights a cell by its rows (fixest's observation shares). Not
        # by the JSON's `n_treated`: for a cohort × period cell that is its cohort's units, the
        # same for every cell of the cohort (cohort-size weights, which the estimator does not use).
        pairs = [(by_key[(e["group"], e["time"])], by_key[(e["group"], e["time"])][count]) for e in estimator_cells
                 if (e["group"], e["time"]) in by_key]
        return weighted_truth(pairs, measure, default)
    if weights == "cohort_size":
        if estimator_cells:
            chosen = [by_key[(e["group"], e["time"])] for e in estimator_cells if (e["group"], e["time"]) in by_key]
        else:
            chosen = cells
        if units_per_cohort:
            sizes = units_per_cohort
        else:
            raise TruthError("cohort-size weights need the estimator's units per cohort")
        # Each cell's measure averages over its own firm-years (cell_count), and the aggregate
        # gives each cell its cohort's size as weight, as R did's aggte(type = "simple") does.
        return weighted_truth([(c, sizes.get(c["cohort"], 0) if c[count] > 0 else 0) for c in chosen], measure, default)
    raise TruthError(f"unknown weighting '{weights}' (known: {', '.join(WEIGHT_RULES)})")


def _mean(xs: list[float]) -> float | None:
    return statistics.fmean(xs) if xs else None


def _sd(xs: list[float]) -> float | None:
    return statistics.stdev(xs) if len(xs) > 1 else None


def _proportion(flags: list[bool]) -> tuple[float | None, float | None]:
    """A proportion and its Monte Carlo standard error sqrt(p(1 − p)/n)."""
    if not flags:
        return None, None
    p = sum(flags) / len(flags)
    return p, math.sqrt(p * (1 - p) / len(flags))


def summarize(records: list[dict], alpha: float = 0.05) -> dict:
    """Summary of one cell of the study (one design × programme × outcome × scale × estimator).

    records: dicts with `estimate`, `std_error`, `conf_low`, `conf_high`, `p_value`, `truth`
    (None where the run failed: counted in `n_failed`).
    """
    ok = [r for r in records if r.get("estimate") is not None and r.get("truth") is not None
          and all(r.get(k) is not None and math.isfinite(r[k]) for k in ("estimate", "std_error", "conf_low", "conf_high", "p_value"))]
    estimates = [r["estimate"] for r in ok]
    errors = [r["estimate"] - r["truth"] for r in ok]
    ses = [r["std_error"] for r in ok]
    covered = [r["conf_low"] <= r["truth"] <= r["conf_high"] for r in ok]
    rejected = [r["p_value"] < alpha for r in ok]
    coverage, coverage_mcse = _proportion(covered)
    rejection, rejection_mcse = _proportion(rejected)
    sd_error, mean_se = _sd(errors), _mean(ses)
    bias = _mean(errors)
    return {
        "n_panels": len(ok),
        "n_failed": len(records) - len(ok),
        "mean_truth": _mean([r["truth"] for r in ok]),
        "mean_estimate": _mean(estimates),
        "bias": bias,
        "bias_mcse": sd_error / math.sqrt(len(ok)) if sd_error is not None else None,
        "rmse": math.sqrt(_mean([e * e for e in errors])) if errors else None,
        "sd_estimate": _sd(estimates),
        "sd_error": sd_error,
        "mean_se": mean_se,
        "se_ratio": mean_se / sd_error if mean_se is not None and sd_error else None,
        "coverage": coverage,
        "coverage_mcse": coverage_mcse,
        "rejection": rejection,
        "rejection_mcse": rejection_mcse,
    }
