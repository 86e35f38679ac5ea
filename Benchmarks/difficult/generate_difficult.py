"""The 'difficult' worker-firm panel of fixest's benchmark, as given in issue 13.

Usage: python3 generate_difficult.py ROWS OUTPUT.csv   (or OUTPUT.arrow: the same data as an
uncompressed Arrow IPC file, which is written and read far faster at 10^8 rows)

Workers move only within a narrow band of 21 neighbouring firms, so the worker-firm graph is a
long chain and alternating projections converge very slowly.
"""
import sys, numpy as np, pandas as pd
n = int(float(sys.argv[1])); rng = np.random.default_rng(1)
nb_indiv, nb_firm, nb_year = n // 20, max(1, round(n / 160)), max(2, round(n / 1e5))
indiv = rng.integers(1, nb_indiv + 1, n)
firm = np.minimum(rng.integers(0, 21, n) + np.maximum(1, indiv // 8 - 10), nb_firm)
year = rng.integers(1, nb_year + 1, n)
x1 = rng.normal(size=n); x2 = rng.normal(size=n) ** 2
fe = rng.normal(size=nb_indiv + 1)[indiv] + rng.normal(size=nb_firm + 1)[firm] + rng.normal(size=nb_year + 1)[year]
y = x1 + 0.5 * x2 + fe + rng.normal(size=n)
frame = pd.DataFrame({"indiv": indiv, "firm": firm, "year": year, "x1": x1.round(6), "x2": x2.round(6), "y": y.round(6)})
if sys.argv[2].endswith(".arrow"):
    import pyarrow.feather
    pyarrow.feather.write_feather(frame, sys.argv[2], compression="uncompressed")
else:
    frame.to_csv(sys.argv[2], index=False)
