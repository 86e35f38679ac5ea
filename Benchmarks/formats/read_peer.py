#!/usr/bin/env python3
"""One Python read of the five model columns, in a fresh process (run by run_formats.py).

Usage: read_peer.py TOOL PATH

TOOL is one of the names in READERS, or "noop:<TOOL>" which imports what TOOL needs and reads
nothing (the interpreter + library baseline for peak RSS and wall).  Prints one JSON line:
{"tool", "read_seconds", "rows", "columns", "sums"}; read_seconds is perf_counter around the
read call alone (imports excluded).  The sums of the columns (computed after the clock stops)
let the runner check that every reader saw the same data.
"""

from __future__ import annotations

import json
import sys
import time

COLUMNS = ["firm", "year", "x1", "x2", "y"]


def _pandas_csv(path):
    import pandas as pd
    return lambda: pd.read_csv(path, usecols=COLUMNS, engine="c")


def _pyarrow_csv(path):
    import pyarrow.csv as pacsv
    opts = pacsv.ConvertOptions(include_columns=COLUMNS)
    return lambda: pacsv.read_csv(path, convert_options=opts)


def _pyarrow_feather(path):
    import pyarrow.feather as feather
    return lambda: feather.read_table(path, columns=COLUMNS)


def _pandas_feather(path):
    import pandas as pd
    import pyarrow  # noqa: F401  (pandas imports it lazily; keep it out of the timed call)
    return lambda: pd.read_feather(path, columns=COLUMNS)


def _pandas_stata(path):
    import pandas as pd
    return lambda: pd.read_stata(path, columns=COLUMNS)


def _pyreadstat_dta(path):
    import pyreadstat
    return lambda: pyreadstat.read_dta(path, usecols=COLUMNS)[0]


def _pyreadstat_sav(path):
    import pyreadstat
    return lambda: pyreadstat.read_sav(path, usecols=COLUMNS)[0]


def _pandas_spss(path):
    import pandas as pd
    import pyreadstat  # noqa: F401  (pandas imports it inside read_spss)
    return lambda: pd.read_spss(path, usecols=COLUMNS)


READERS = {
    "pandas.read_csv": _pandas_csv,
    "pyarrow.csv.read_csv": _pyarrow_csv,
    "pyarrow.feather.read_table": _pyarrow_feather,
    "pandas.read_feather": _pandas_feather,
    "pandas.read_stata": _pandas_stata,
    "pyreadstat.read_dta": _pyreadstat_dta,
    "pyreadstat.read_sav": _pyreadstat_sav,
    "pandas.read_spss": _pandas_spss,
}


def column_sums(obj) -> tuple[int, list[str], dict]:
    if hasattr(obj, "num_rows"):  # pyarrow.Table
        import pyarrow.compute as pc
        sums = {c: float(pc.sum(obj.column(c)).as_py()) for c in obj.column_names}
        return obj.num_rows, list(obj.column_names), sums
    sums = {c: float(obj[c].astype("float64").sum()) for c in obj.columns}
    return len(obj), [str(c) for c in obj.columns], sums


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.exit(__doc__)
    tool, path = argv[1], argv[2]
    noop = tool.startswith("noop:")
    name = tool[5:] if noop else tool
    if name not in READERS:
        sys.exit(f"unknown tool {name!r}; one of {', '.join(READERS)}")
    read = READERS[name](path)
    if noop:
        print(json.dumps({"tool": tool, "read_seconds": 0.0, "rows": 0, "columns": [],
                          "sums": {}}))
        return 0
    t0 = time.perf_counter()
    data = read()
    t1 = time.perf_counter()
    rows, cols, sums = column_sums(data)
    print(json.dumps({"tool": tool, "read_seconds": t1 - t0, "rows": rows, "columns": cols,
                      "sums": sums}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
