#!/usr/bin/env bash
# docs/simulate.md's MLP paragraph: is the MLP's weight decay / width calibrated? random labels only
# (the question is the model, not the rule), on the embedded world and on an unseen one. Every
# configuration runs the same seeds (same split, pools and label coins), so each is compared with the
# default (weight decay 0, width 64) paired by seed.
# Usage: scripts/mlp-calibration.sh OUT_DIR   (after npm run build and the native build; SEEDS=10;
# rerunning into the same OUT_DIR only runs what is missing)
set -euo pipefail
out=${1:?OUT_DIR}
seeds=${SEEDS:-10}
mkdir -p "$out"
python3 scripts/unseen-worlds.py "$out/worlds"
for world in synthetic "$out/worlds/clustered" "$out/worlds/unitnorm" "$out/worlds/anisotropic"; do
  tag=$(basename "$world")
  for cfg in "--weight-decay 0" "--weight-decay 1e-3" "--weight-decay 1e-2" "--weight-decay 1e-1" "--width 256"; do
    name="mlp-$tag-$(echo "$cfg" | tr -d ' -')"
    # Resumable: a configuration whose report exists is not run again.
    [[ -f $out/$name/report.json ]] ||
      node dist/cli/main.js simulate --backend native --model mlp --methods random --seeds "$seeds" --dataset "$world" $cfg --out "$out/$name" > "$out/$name.txt"
    echo "$name: $(grep -E '^random' "$out/$name.txt")"
    if [[ $cfg != "--weight-decay 0" ]]; then
      echo "  paired against weight decay 0:"; node scripts/paired-reports.mjs "$out/$name" "$out/mlp-$tag-weightdecay0" | tail -1
    fi
  done
done
