#!/usr/bin/env bash
# Issue 6's comparison, side by side in one sitting: PyTorch eager (one thread) and plasticity-lab on
# the same networks, alternated for ROUNDS rounds. Needs Debian's python3-torch (benchmark only) and
# `npm run build`. Prints one JSON line per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
NETWORKS=${NETWORKS:-"784-170-130-100-70-10 784-100-100-100-100-100-100-100-100-100-100-10 784-1000-1000-10"}
for round in $(seq 1 "$ROUNDS"); do
  for layers in $NETWORKS; do
    steps=2000
    [[ $layers == 784-1000-1000-10 ]] && steps=300
    echo "{\"round\": $round, \"pytorch\": $(/usr/bin/python3 bench/pytorch_online.py --layers "$layers" --steps $steps --repeats 3)}"
    echo "{\"round\": $round, \"plasticityLab\": $(node bin/plasticity-lab.js bench --layers "$layers" --repeats 3 --backends wasm --json | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const r = JSON.parse(s);
        const online = Object.fromEntries(r.rows.filter((x) => x.backend === "none").map((x) => [x.executor, x.msPerStep]));
        const evaluation = r.rows.find((x) => x.case.startsWith("evaluate"));
        console.log(JSON.stringify({ network: r.network, online, onlineStep: r.onlineStep, matMulGflops: r.matMulGflops, lockstep: r.lockstep && { sequential: r.lockstep.sequential, lockstep: r.lockstep.lockstep }, evaluateMs: evaluation && evaluation.msPerStep, rerunLatency: r.rerunLatency }));
      });')}"
  done
done
