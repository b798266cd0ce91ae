#!/usr/bin/env bash
# Regenerates the synthetic samples in this directory with magmap itself (deterministic: same files each time,
# apart from the DATE card). Run from anywhere: data-samples/make-samples.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# One 32^3 cube of the H I paper's set-up: B0 = 3 uG, sigma_v = 2.5 km/s, n = 3 cm^-3, c_s = 5 km/s, 100 pc box.
"$HERE/../bin/magmap" simulate \
  --conf magmap.output-root="$WORK" \
  --conf magmap.simulate.grid-size=32 \
  --conf magmap.simulate.snapshots=1 \
  --conf 'magmap.simulate.b0-microgauss=[3]' \
  --conf 'magmap.simulate.sigma-v-km-per-s=[2.5]' \
  --conf 'magmap.simulate.extra-runs=[]' \
  --conf magmap.simulate.seed=1
cp "$WORK/simulate/cubes/b3-s2.5-seed1-snap0.fits" "$HERE/synthetic-b3-s2.5-n32.fits"
echo "wrote $HERE/synthetic-b3-s2.5-n32.fits"
