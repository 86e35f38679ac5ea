"""Markdown tables of the coverage study's summary rows (printed by run_coverage.py, pasted into
the READMEs): the full table, one line per study cell, and the compact one of the README."""

def fmt(x, spec=".3f") -> str:
    return "n/a" if x is None else format(x, spec)


def amount(x, signed=False) -> str:
    """A figure in the unit of its scale: USD and head counts in thousands get no decimals."""
    if x is None:
        return "n/a"
    sign = "+" if signed else ""
    return format(x, f"{sign},.0f") if abs(x) >= 1000 else format(x, f"{sign}.3f")


def markdown(rows: list[dict]) -> str:
    lines = ["| design | programme | outcome | scale | estimator | panels | truth | bias | RMSE | SD | mean SE | SE/SD | coverage | rejection |",
             "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        panels = f"{r['n_panels']}" + (f" ({r['n_failed']} failed)" if r["n_failed"] else "")
        lines.append(f"| {r['design']} | {r['programme'].upper()} | {r['outcome']} | {r['scale']} | {r['estimator']} | {panels} | "
                     f"{amount(r['mean_truth'])} | {amount(r['bias'], signed=True)} | {amount(r['rmse'])} | {amount(r['sd_error'])} | "
                     f"{amount(r['mean_se'])} | {fmt(r['se_ratio'], '.2f')} | {fmt(r['coverage'], '.2f')} | {fmt(r['rejection'], '.2f')} |")
    return "\n".join(lines)


def compact_markdown(rows: list[dict], design: str) -> str:
    """One line per programme × outcome × scale, each estimator's `bias · SE/SD · coverage`: the
    README's table. `truth` is the mean truth of the first estimator (TWFE: cells weighted by
    their treated firm-years); the others' truths differ by their weights (see the CSV)."""
    estimators = list(dict.fromkeys(r["estimator"] for r in rows if r["design"] == design))
    lines = ["| scale | programme | outcome | truth | " + " | ".join(estimators) + " |",
             "| --- | --- | --- | ---: | " + " | ".join("---" for _ in estimators) + " |"]
    keyed = {(r["scale"], r["programme"], r["outcome"], r["estimator"]): r for r in rows if r["design"] == design}
    for scale, programme, outcome in dict.fromkeys(k[:3] for k in keyed):
        cells, truth = [], None
        for estimator in estimators:
            r = keyed.get((scale, programme, outcome, estimator))
            if r is None or not r["n_panels"]:
                cells.append("–")
                continue
            truth = truth if truth is not None else r["mean_truth"]
            cells.append(f"{amount(r['bias'], signed=True)} · {fmt(r['se_ratio'], '.2f')} · {fmt(r['coverage'], '.2f')}")
        lines.append(f"| {scale} | {programme.upper()} | {outcome} | {amount(truth)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def exceptions_markdown(rows: list[dict], coverage_band=(0.92, 0.98), ratio_band=(0.9, 1.1)) -> str:
    """Every study cell whose coverage or mean SE / SD of the errors lies outside the issue's
    bands (issue 21: 0.92–0.98 and within 10%), with its bias in Monte Carlo SEs, so that the
    README can give each one its reason."""
    lines = ["| design | scale | programme | outcome | estimator | bias (MC SEs) | SE/SD | coverage | rejection |",
             "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        if not r["n_panels"]:
            continue
        cov_out = r["coverage"] is not None and not coverage_band[0] <= r["coverage"] <= coverage_band[1]
        ratio_out = r["se_ratio"] is not None and not ratio_band[0] <= r["se_ratio"] <= ratio_band[1]
        if not (cov_out or ratio_out):
            continue
        z = r["bias"] / r["bias_mcse"] if r["bias"] is not None and r["bias_mcse"] else None
        lines.append(f"| {r['design']} | {r['scale']} | {r['programme'].upper()} | {r['outcome']} | {r['estimator']} | "
                     f"{amount(r['bias'], signed=True)} ({fmt(z, '+.1f')}) | {fmt(r['se_ratio'], '.2f')}{' ✗' if ratio_out else ''} | "
                     f"{fmt(r['coverage'], '.2f')}{' ✗' if cov_out else ''} | {fmt(r['rejection'], '.2f')} |")
    return "\n".join(lines)
