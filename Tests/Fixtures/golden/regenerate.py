#!/usr/bin/env python3
"""Regenerates the golden outputs in this folder with the Quipu binary at .build/debug/quipu.

    swift build && python3 Tests/Fixtures/golden/regenerate.py

Each entry of commands.json is run from the repository root, as GoldenOutputTests runs it;
its standard output (or, with "file", that file under the temporary directory that "{out}"
names) becomes the golden file. Regenerate only after a deliberate change of output, and
say in the commit which outputs changed and why.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
QUIPU = os.path.join(ROOT, ".build", "debug", "quipu")


def main():
    if not os.access(QUIPU, os.X_OK):
        sys.exit(f"{QUIPU} is missing: run `swift build` first")
    with open(os.path.join(HERE, "commands.json")) as handle:
        commands = json.load(handle)
    for command in commands:
        with tempfile.TemporaryDirectory() as out:
            arguments = [argument.replace("{out}", out) for argument in command["arguments"]]
            run = subprocess.run([QUIPU] + arguments, cwd=ROOT, capture_output=True)
            if run.returncode != 0:
                sys.exit(f"{command['golden']}: quipu {' '.join(arguments)} failed:\n{run.stderr.decode()}")
            if "file" in command:
                with open(os.path.join(out, command["file"]), "rb") as handle:
                    output = handle.read()
            else:
                output = run.stdout
        with open(os.path.join(HERE, command["golden"]), "wb") as handle:
            handle.write(output)
        print(f"wrote {command['golden']} ({len(output)} bytes)")


if __name__ == "__main__":
    main()
