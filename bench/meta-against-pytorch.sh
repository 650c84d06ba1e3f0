#!/usr/bin/env bash
# Issue 16's comparison, side by side in one sitting: one meta-episode in PyTorch eager (one thread,
# autograd through the unrolled loop; bench/pytorch_meta.py) and in plasticity-lab (the SIMD inner
# loop and the float64 reference, inside one meta-training run), alternated for ROUNDS rounds of
# REPEATS meta-episodes each. Needs Debian's python3-torch (benchmark only) and `npm run build`.
# Prints one JSON line per measurement; PyTorch's first meta-episodes of a process are slow (its
# allocator warming up), so its medians are given over all and after the first two.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
REPEATS=${REPEATS:-10}
for round in $(seq 1 "$ROUNDS"); do
  /usr/bin/python3 bench/pytorch_meta.py --repeats "$REPEATS" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const r = JSON.parse(s);
      const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
      console.log(JSON.stringify({ round: Number(process.argv[1]), pytorch: { median: median(r.repeats), afterFirstTwo: median(r.repeats.slice(2)), seconds: r.repeats } }));
    });' "$round"
  node bin/plasticity-lab.js bench --only meta --repeats "$REPEATS" --json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const { metaEpisode: m } = JSON.parse(s);
      const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
      console.log(JSON.stringify({ round: Number(process.argv[1]), plasticityLab: { build: m.simdBuild, simdMedian: median(m.simd), referenceMedian: median(m.reference), simd: m.simd } }));
    });' "$round"
done
