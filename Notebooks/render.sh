#!/usr/bin/env bash
# Renders the walkthroughs in this folder: each *.md.in is copied to *.md with every line
# "$ quipu ..." followed by that command's real output (run from the repository root with the
# release build). Usage: bash Notebooks/render.sh  (after `make release`)
set -euo pipefail
cd "$(dirname "$0")/.."
quipu=.build/release/quipu
[ -x "$quipu" ] || { echo "render.sh: build first (make release)" >&2; exit 1; }
for template in Notebooks/*.md.in; do
  target="${template%.in}"
  {
    while IFS= read -r line; do
      if [[ "$line" == '$ quipu '* ]]; then
        echo '```console'
        echo "$line"
        eval "$quipu ${line#\$ quipu }" 2>&1
        echo '```'
      else
        echo "$line"
      fi
    done < "$template"
  } > "$target.tmp"
  mv "$target.tmp" "$target"
  echo "rendered $target"
done
