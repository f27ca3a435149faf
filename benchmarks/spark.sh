#!/usr/bin/env bash
# Rows per second of `calibra-spark metrics` and `calibra-spark calibrate` (local[1], local[2])
# against the single-machine `calibra metrics` / `calibra calibrate`, on one score file of N rows
# (4 labels, probabilities, with gold), written by numpy.
#   benchmarks/spark.sh [rows]      (default 10000000; needs python3 with numpy and /usr/bin/time)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/calibra" --version > /dev/null
"$root/calibra-spark" --version > /dev/null
in="$work/scores.csv"
python3 - "$n" "$in" <<'PY'
import sys
import numpy as np
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(7)
with open(path, "w") as f:
    f.write("id,gold,world,sports,business,science\n")
    chunk = 1_000_000
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        z = rng.normal(size=(e - s, 4)) * 2
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        gold = (p.cumsum(axis=1) < rng.random((e - s, 1))).sum(axis=1).clip(0, 3)
        rows = np.column_stack([np.arange(s, e), gold, p])
        np.savetxt(f, rows, fmt=["%d", "%d"] + ["%.17g"] * 4, delimiter=",")
PY
printf 'id,world,sports,business,science\nN/A,0.3,0.2,0.25,0.25\n' > "$work/cf.csv"
"$root/calibra" fit --method contextual --content-free "$work/cf.csv" --scores prob --output "$work/model.json" > /dev/null
printf '%-24s %10s %14s %12s\n' command seconds rows_per_s max_rss_MiB
run() {
  local name="$1"; shift
  rm -rf "$work/out" "$work/out.csv"
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }
  read -r secs kib < "$work/time"
  printf '%-24s %10s %14.0f %12d\n' "$name" "$secs" "$(echo "$n / $secs" | bc -l)" $((kib / 1024))
}
run "calibra metrics" "$root/calibra" metrics --input "$in" --scores prob --json
for m in 1 2; do
  run "calibra-spark metrics [$m]" "$root/calibra-spark" metrics --master "local[$m]" --input "$in" --scores prob --json
done
run "calibra calibrate" "$root/calibra" calibrate --calibrator "$work/model.json" --scores prob --input "$in" --output "$work/out.csv"
for m in 1 2; do
  run "calibra-spark calibrate [$m]" "$root/calibra-spark" calibrate --master "local[$m]" --calibrator "$work/model.json" --scores prob --input "$in" --output "$work/out"
done
