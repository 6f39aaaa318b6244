#!/usr/bin/env bash
# The campaign figures of docs/simulate.md (ridge 'auto' vs fixed τ, β, pools, HH-RLHF, unseen worlds).
# Usage: scripts/ridge-campaigns.sh OUT_DIR [DATA_DIR] [SECTIONS]   (after npm run build and the native build)
# SECTIONS: any of "synthetic hh worlds" (default: all three).
set -euo pipefail
out=${1:?OUT_DIR}; data=${2:-../shared/data}; sections=${3:-synthetic hh worlds}
want() { [[ " $sections " == *" $1 "* ]]; }
sim() { local name=$1; shift; node dist/cli/main.js simulate --backend native --out "$out/$name" "$@" > "$out/$name.txt"; tail -n +1 "$out/$name.txt"; }
mkdir -p "$out"
if want synthetic; then
sim default
sim beta4 --beta 4
sim cross --pool cross
sim cross-beta4 --pool cross --beta 4
sim fixed1 --ridge 1
fi
hh=(--dataset "$data/hh-harmless-test.use512.responses.npy" --rounds 8 --per-round 25 --prompts-per-round 500 --test-fraction 0.25 --seeds 10)
if want hh; then
  sim hh "${hh[@]}"
  # The same campaign against the isotropic-only auto and fixed τ, paired in ridge-worlds-table.mjs.
  sim hh-rauto-iso "${hh[@]}" --ridge auto --prior isotropic
  for ridge in 0.1 1 10 100; do sim "hh-r$ridge" "${hh[@]}" --ridge "$ridge"; done
fi
want worlds || exit 0
python3 scripts/unseen-worlds.py "$out/worlds"
for w in ${WORLDS:-clustered anisotropic unitnorm heldout}; do
  for beta in ${BETAS:-1 4}; do
    for ridge in auto auto-iso 0.1 1 10 100; do
      # auto-iso: the evidence's τ under the isotropic prior only (ridge 'auto' before the prior shape).
      if [[ $ridge == auto-iso ]]; then args=(--ridge auto --prior isotropic); else args=(--ridge "$ridge"); fi
      sim "world-$w-b$beta-r$ridge" --dataset "$out/worlds/$w" --methods random,greedy-dopt --seeds 10 --beta "$beta" "${args[@]}"
    done
  done
done
