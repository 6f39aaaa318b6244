#!/usr/bin/env bash
# docs/simulate.md's MLP paragraph: is the MLP's weight decay / width calibrated? random labels only
# (the question is the model, not the rule), 5 seeds, on the embedded world and on an unseen one.
# Usage: scripts/mlp-calibration.sh OUT_DIR   (after npm run build and the native build)
set -euo pipefail
out=${1:?OUT_DIR}
mkdir -p "$out"
python3 scripts/unseen-worlds.py "$out/worlds"
for world in synthetic "$out/worlds/clustered"; do
  tag=$(basename "$world")
  for cfg in "--weight-decay 0" "--weight-decay 1e-3" "--weight-decay 1e-2" "--width 256"; do
    name="mlp-$tag-$(echo "$cfg" | tr -d ' -')"
    node dist/cli/main.js simulate --backend native --model mlp --methods random --seeds 5 --dataset "$world" $cfg --out "$out/$name" > "$out/$name.txt"
    echo "$name: $(grep -E '^random' "$out/$name.txt")"
  done
done
