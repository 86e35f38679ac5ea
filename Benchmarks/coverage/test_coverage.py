"""Self-test of the coverage study's arithmetic on tiny hand-made inputs (no quipu binary needed).

    python3 Benchmarks/coverage/test_coverage.py        (`make test` runs it)

Every expected value below is worked out by hand in the comment beside it.
"""

import math
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coverage_stats import TruthError, summarize, truth_for  # noqa: E402
from coverage_calls import did_command, runs_on, scale_estimators  # noqa: E402
from coverage_panel import estimate_record, estimator_rows  # noqa: E402
from coverage_results import summary_rows  # noqa: E402


def cell(cohort, year, n, n_positive, log_effect, level_effect, mean_y1, mean_y0, aggregated=True, programme="pum", outcome="sales"):
    return {"programme": programme, "cohort": cohort, "year": year, "event_time": year - cohort, "outcome": outcome,
            "aggregated": aggregated, "n": n, "n_positive": n_positive, "log_effect": log_effect,
            "level_effect": level_effect, "log_ratio_of_means": math.log(mean_y1 / mean_y0) if mean_y0 else None,
            "mean_y1": mean_y1, "mean_y0": mean_y0}


TRUTH = {"cells": [
    cell(2015, 2015, 10, 5, 0.1, 100.0, 110.0, 100.0),
    cell(2015, 2016, 10, 8, 0.2, 200.0, 300.0, 100.0),
    cell(2016, 2016, 20, 15, 0.3, 300.0, 500.0, 200.0),
    cell(2016, 2014, 20, 15, 0.0, 0.0, 200.0, 200.0),          # a pre-period cell: never in an aggregate
    cell(2004, 2005, 50, 50, 9.0, 9000.0, 900.0, 100.0, aggregated=False),  # no untreated year: left out
    cell(2015, 2015, 10, 5, 7.0, 7.0, 7.0, 1.0, programme="cbi"),            # another programme
]}
LOG = {"truth": "log_effect", "cell_count": "n_positive"}
LEVEL = {"truth": "level_effect", "cell_count": "n"}
RATIO = {"truth": "log_ratio_of_means", "cell_count": "n"}
EXTENSIVE = {"truth": "extensive_effect", "cell_count": "n", "truth_default": 0.0}


class TruthTests(unittest.TestCase):
    def test_treated_observations_weight_cells_by_their_firm_years(self):
        # log: (5·0.1 + 8·0.2 + 15·0.3) / 28 = 6.6 / 28; level: (10·100 + 10·200 + 20·300) / 40 = 225
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", LOG, "treated_observations"), 6.6 / 28)
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", LEVEL, "treated_observations"), 225.0)

    def test_ratio_of_means_pools_totals(self):
        # log((10·110 + 10·300 + 20·500) / (10·100 + 10·100 + 20·200)) = log(14100 / 6000)
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", RATIO, "treated_observations"), math.log(14100 / 6000))

    def test_cohort_size_weights_each_cell_by_its_cohorts_units(self):
        # cohorts 2015: 30 units, 2016: 10 → (30·0.1 + 30·0.2 + 10·0.3) / 70 = 12 / 70
        sizes = {2015: 30, 2016: 10}
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", LOG, "cohort_size", units_per_cohort=sizes), 12 / 70)
        # only the cells the estimator estimated: (30·0.2 + 10·0.3) / 40 = 9 / 40
        estimated = [{"group": 2015, "time": 2016, "n_treated": 8}, {"group": 2016, "time": 2016, "n_treated": 15}]
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", LOG, "cohort_size", estimator_cells=estimated,
                                         units_per_cohort=sizes), 9 / 40)
        with self.assertRaises(TruthError):
            truth_for(TRUTH, "pum", "sales", LOG, "cohort_size")

    def test_cohort_size_ratio_of_means_pools_cohort_weighted_means(self):
        # Proportional CS: log(m / (m − θ)) with m and θ aggregated by cohort size, i.e.
        # log(Σ N_g·m1 / Σ N_g·m0) = log((30·110 + 30·300 + 10·500) / (30·100 + 30·100 + 10·200)) = log(17300 / 8000)
        sizes = {2015: 30, 2016: 10}
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", RATIO, "cohort_size", units_per_cohort=sizes), math.log(17300 / 8000))

    def test_estimator_cells_weight_the_estimated_cells_by_their_firm_years(self):
        # Sun–Abraham-style: the cells it estimated (2015/2015, 2016/2016; not 2015/2016), each by
        # its treated firm-years with Y > 0: (5·0.1 + 15·0.3) / 20 = 0.25. The JSON's n_treated (its
        # cohort's units) does not weight; a cell the truth lacks (2017) is ignored.
        rows = [{"group": 2015, "time": 2015, "n_treated": 4}, {"group": 2016, "time": 2016, "n_treated": 1},
                {"group": 2017, "time": 2017, "n_treated": 99}]
        self.assertAlmostEqual(truth_for(TRUTH, "pum", "sales", LOG, "estimator_cells", estimator_cells=rows), 0.25)

    def test_a_measure_the_truth_lacks_takes_the_designs_default_or_fails(self):
        self.assertEqual(truth_for(TRUTH, "pum", "sales", EXTENSIVE, "treated_observations"), 0.0)
        with self.assertRaises(TruthError):
            truth_for(TRUTH, "pum", "sales", {"truth": "extensive_effect", "cell_count": "n"}, "treated_observations")
        with self.assertRaises(TruthError):
            truth_for(TRUTH, "pum", "exports", LOG, "treated_observations")


class ShippedTruthTests(unittest.TestCase):
    def test_treated_observation_weights_reproduce_the_truth_files_simple_aggregates(self):
        # The simulator (Swift) pools firm-years itself for `simple`; re-weighting its cells here must
        # give the same numbers, to the file's rounding (effects are written to 6 significant digits
        # or 3 decimals).
        import json
        repo = Path(__file__).resolve().parents[2]
        truth = json.loads((repo / "Datasets/peru-natural-ingredients/peru-truth.json").read_text())
        checked = 0
        for aggregate in truth["aggregates"]:
            for scale, field in ((LOG, "log_effect"), (LEVEL, "level_effect"), (RATIO, "log_ratio_of_means")):
                expected = aggregate["simple"][field]
                mine = truth_for(truth, aggregate["programme"], aggregate["outcome"], scale, "treated_observations")
                self.assertAlmostEqual(mine, expected, delta=1e-5 + 2e-4 * abs(expected), msg=f"{aggregate['programme']} {aggregate['outcome']} {field}")
                checked += 1
        self.assertEqual(checked, 30)


class SummaryTests(unittest.TestCase):
    def test_bias_rmse_spread_coverage_and_rejection(self):
        # truths 1, 1, 2, 2; errors +0.1, −0.1, +0.3, −0.3 → bias 0, RMSE √(0.2/4), SD of errors √(0.2/3);
        # SEs 0.1, 0.2, 0.3, 0.2 → mean 0.2; the third interval [2.31, 2.5] misses 2 → coverage 3/4;
        # p-values 0.01, 0.2, 0.04, 0.5 → rejection at 5%: 2/4. The last record failed.
        records = [
            {"estimate": 1.1, "std_error": 0.1, "conf_low": 0.9, "conf_high": 1.3, "p_value": 0.01, "truth": 1.0},
            {"estimate": 0.9, "std_error": 0.2, "conf_low": 0.5, "conf_high": 1.3, "p_value": 0.2, "truth": 1.0},
            {"estimate": 2.3, "std_error": 0.3, "conf_low": 2.31, "conf_high": 2.5, "p_value": 0.04, "truth": 2.0},
            {"estimate": 1.7, "std_error": 0.2, "conf_low": 1.3, "conf_high": 2.1, "p_value": 0.5, "truth": 2.0},
            {"estimate": None, "error": "did exit 1"},
        ]
        s = summarize(records)
        self.assertEqual((s["n_panels"], s["n_failed"]), (4, 1))
        self.assertAlmostEqual(s["bias"], 0.0)
        self.assertAlmostEqual(s["rmse"], math.sqrt(0.05))
        self.assertAlmostEqual(s["sd_error"], math.sqrt(0.2 / 3))
        self.assertAlmostEqual(s["mean_se"], 0.2)
        self.assertAlmostEqual(s["se_ratio"], 0.2 / math.sqrt(0.2 / 3))
        self.assertAlmostEqual(s["coverage"], 0.75)
        self.assertAlmostEqual(s["coverage_mcse"], math.sqrt(0.75 * 0.25 / 4))
        self.assertAlmostEqual(s["rejection"], 0.5)
        self.assertAlmostEqual(s["mean_truth"], 1.5)
        # SD of the estimates themselves: of 1.1, 0.9, 2.3, 1.7 (mean 1.5): √((0.16+0.36+0.64+0.04)/3) = √0.4
        self.assertAlmostEqual(s["sd_estimate"], math.sqrt(0.4))

    def test_no_usable_record_gives_empty_figures(self):
        s = summarize([{"estimate": None, "error": "x"}])
        self.assertEqual((s["n_panels"], s["n_failed"], s["coverage"], s["bias"]), (0, 1, None, None))


class OutputParsingTests(unittest.TestCase):
    def test_estimator_rows_pick_the_overall_aggregate_post_cells_and_cohort_sizes(self):
        result = {
            "aggregates": [
                {"estimator": "cs", "type": "dynamic", "overall": True, "estimate": 9.0},
                {"estimator": "cs", "type": "simple", "overall": True, "estimate": 0.2},
                {"estimator": "sunab", "type": "simple", "overall": True, "estimate": 0.3},
            ],
            "att_gt": [
                {"estimator": "cs", "group": 2015, "time": 2014, "estimate": 0.0, "n_treated": 5},
                {"estimator": "cs", "group": 2015, "time": 2016, "estimate": 0.2, "n_treated": 5},
            ],
            "cohort_period": [{"estimator": "sunab", "group": 2015, "event_time": 1, "estimate": 0.3, "n_treated": 4}],
            "sample": [{"estimator": "cs", "units_per_cohort": [{"cohort": 2015, "units": 5}, {"cohort": "never", "units": 50}]}],
        }
        overall, cells, sizes = estimator_rows(result, "cs", "simple")
        self.assertEqual([a["estimate"] for a in overall], [0.2])
        self.assertEqual(cells, [{"group": 2015, "time": 2016, "n_treated": 5}])
        self.assertEqual(sizes, {2015: 5})
        _, cells, _ = estimator_rows(result, "sunab", "simple")
        self.assertEqual(cells, [{"group": 2015, "time": 2016, "n_treated": 4}])

    def test_an_estimator_with_two_overall_aggregates_needs_a_match(self):
        # e.g. a Poisson estimator reporting its overall effect in levels and as a proportion
        result = {"aggregates": [
            {"estimator": "etwfe", "type": "simple", "overall": True, "effect": "level", "estimate": 5000.0,
             "std_error": 1.0, "conf_low": 0.0, "conf_high": 1.0, "p_value": 0.5, "n_treated": 3},
            {"estimator": "etwfe", "type": "simple", "overall": True, "effect": "proportional", "estimate": 0.1,
             "std_error": 1.0, "conf_low": 0.0, "conf_high": 1.0, "p_value": 0.5, "n_treated": 3}]}
        study = {"estimators": {"etwfe": {"aggregate": "simple", "weights": "treated_observations"}}}
        base = {"design": "default", "seed": 1, "programme": "pum", "outcome": "sales", "scale": "poisson"}
        ambiguous = estimate_record(base, result, "etwfe", study, RATIO, TRUTH)
        self.assertIn("2 overall 'simple' aggregates", ambiguous["error"])
        study["estimators"]["etwfe"]["match"] = {"poisson": {"effect": "proportional"}}
        chosen = estimate_record(base, result, "etwfe", study, RATIO, TRUTH)
        self.assertEqual(chosen["estimate"], 0.1)
        self.assertAlmostEqual(chosen["truth"], math.log(14100 / 6000))

    def test_a_specification_variant_subsets_and_is_held_against_its_programmes_truth(self):
        study = {"panel": {"unit": "firm_id", "time": "year"},
                 "programmes": {"pum": {"cohort": "pum_cohort"},
                                "pum_only": {"cohort": "pum_cohort", "truth": "pum", "subset": "cbi_start == 0"}},
                 "estimators": {"imputation": {"aggregate": "simple", "weights": "treated_observations"}}}
        command = did_command(Path("quipu"), "p.csv", study, "pum_only", {"outcome": "log({outcome})", "did_args": []}, "sales", "all")
        self.assertEqual(command[command.index("--subset") + 1], "cbi_start == 0")
        self.assertNotIn("--subset", did_command(Path("quipu"), "p.csv", study, "pum", {"outcome": "{outcome}", "did_args": []}, "sales", "all"))
        result = {"aggregates": [{"estimator": "imputation", "type": "simple", "overall": True, "estimate": 0.2, "std_error": 0.1,
                                  "conf_low": 0.0, "conf_high": 0.4, "p_value": 0.05, "n_treated": 28}]}
        base = {"design": "default", "seed": 1, "programme": "pum_only", "outcome": "sales", "scale": "log"}
        record = estimate_record(base, result, "imputation", study, LOG, TRUTH)
        self.assertAlmostEqual(record["truth"], 6.6 / 28)   # the pum cells' truth, as in the first test

    def test_a_scale_runs_only_the_estimators_it_lists(self):
        self.assertEqual(scale_estimators({"estimators": ["etwfe"]}, ["twfe", "cs", "etwfe"]), ["etwfe"])
        self.assertEqual(scale_estimators({}, ["twfe", "cs"]), ["twfe", "cs"])

    def test_designs_programmes_and_scales_restrict_each_other(self):
        study = {"designs": {"default": {}, "null": {"programmes": ["pum"], "scales": ["log"]}},
                 "programmes": {"pum": {}, "pum_only": {"scales": ["log"]}},
                 "scales": {"log": {}, "level": {}, "logit": {"programmes": ["cbi"]}}}
        self.assertTrue(runs_on(study, "default", "pum", "level"))
        self.assertFalse(runs_on(study, "default", "pum_only", "level"))   # the programme's scales
        self.assertFalse(runs_on(study, "default", "pum", "logit"))        # the scale's programmes
        self.assertFalse(runs_on(study, "null", "pum", "level"))           # the design's scales
        self.assertFalse(runs_on(study, "null", "pum_only", "log"))        # the design's programmes

    def test_the_exceptions_table_lists_cells_outside_the_bands(self):
        from coverage_tables import exceptions_markdown
        base = {"design": "default", "scale": "log", "programme": "pum", "outcome": "sales", "n_panels": 100,
                "bias": 0.01, "bias_mcse": 0.005, "rejection": 0.5}
        rows = [{**base, "estimator": "cs", "coverage": 0.95, "se_ratio": 1.0},      # inside both bands
                {**base, "estimator": "twfe", "coverage": 0.80, "se_ratio": 1.0},    # coverage out
                {**base, "estimator": "sunab", "coverage": 0.95, "se_ratio": 1.15}]  # SE/SD out
        lines = exceptions_markdown(rows).splitlines()[2:]
        self.assertEqual([line.split(" | ")[4] for line in lines], ["twfe", "sunab"])
        self.assertIn("+0.010 (+2.0)", lines[0])   # bias 0.01 = 2 Monte Carlo SEs

    def test_summary_rows_group_by_study_cell(self):
        study = {"designs": {"default": {}}, "scales": {"log": {}}, "outcomes": ["sales"],
                 "estimators": {"twfe": {"aggregate": "simple", "weights": "treated_observations"}}}
        base = {"design": "default", "programme": "pum", "outcome": "sales", "scale": "log", "estimator": "twfe"}
        records = [{**base, "estimate": e, "std_error": 0.1, "conf_low": e - 0.2, "conf_high": e + 0.2, "p_value": 0.5, "truth": 0.0}
                   for e in (0.1, -0.1, 0.3)]
        rows = summary_rows(records, study)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["n_panels"], 3)
        self.assertAlmostEqual(rows[0]["coverage"], 2 / 3)   # 0.3 ± 0.2 misses 0


if __name__ == "__main__":
    unittest.main()
