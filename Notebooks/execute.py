"""Execute the notebooks headless with nbclient; any cell that raises fails the run.

    python Notebooks/execute.py [--output-dir DIR] [--timeout S] [NOTEBOOK ...]

Without --output-dir each notebook is rewritten in place with its new outputs (how the committed
outputs are refreshed: `make notebooks`); with it the executed copies go to DIR and the tree is
left alone (`make test`). Without NOTEBOOK arguments every Notebooks/*.ipynb runs. The kernel is
the Python that runs this script (the virtual environment `make notebooks` creates), and cells run
with Notebooks/ as their working directory. Execution timestamps are not recorded, so re-running
unchanged notebooks on the same machine rewrites them byte for byte (adjacent printed outputs are
merged, since the kernel splits them by timing).
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def merge_streams(nb) -> None:
    """Joins adjacent stdout (or stderr) outputs of a cell into one. How the kernel splits a
    cell's printing into messages depends on timing; merged, the saved notebook does not."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            if (output.get("output_type") == "stream" and merged
                    and merged[-1].get("output_type") == "stream" and merged[-1]["name"] == output["name"]):
                merged[-1]["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--output-dir", type=Path, default=None)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()

    paths = args.notebooks or sorted(HERE.glob("*.ipynb"))
    if not paths:
        print("execute.py: no notebooks found", file=sys.stderr)
        return 1
    if args.output_dir:
        args.output_dir.mkdir(parents=True, exist_ok=True)

    failed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=args.timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(HERE)}},
            record_timing=False,
        )
        start = time.monotonic()
        try:
            client.execute()
        except CellExecutionError as error:
            failed.append(path.name)
            plain = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
            print(f"FAILED {path.name}:\n{plain}", file=sys.stderr)
        elapsed = time.monotonic() - start
        merge_streams(nb)
        target = (args.output_dir / path.name) if args.output_dir else path
        nbformat.write(nb, target)
        status = "failed" if path.name in failed else "ok"
        print(f"{path.name}: {status} in {elapsed:.1f} s -> {target}")

    print(f"notebooks: {len(paths) - len(failed)} of {len(paths)} executed without error")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
