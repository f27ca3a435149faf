#!/usr/bin/env bash
# Time and peak memory (max RSS) of `calibra metrics` and `calibra calibrate` on score files of
# 10^4 .. 10^7 rows (2 labels, probabilities, with gold), to show that they stream.
#   benchmarks/scaling.sh [max_exponent]      (default 7; needs python3 with numpy and /usr/bin/time)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/calibration-cli/target/calibra.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -ntp -pl calibration-cli -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true)
max="${1:-7}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts="${CALIBRA_JAVA_OPTS:--XX:+UseSerialGC -Xmn16m -Xmx1g}"  # as ./calibra runs it
printf '%-10s %-10s %10s %12s\n' rows command seconds max_rss_MiB
for e in $(seq 4 "$max"); do
  n=$((10**e))
  in="$work/scores-$n.csv"
  python3 - "$n" "$in" <<'PY'
import sys
import numpy as np
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(n)
z = rng.normal(size=n) * 2
p = 1 / (1 + np.exp(-z))
gold = (rng.random(n) < 1 / (1 + np.exp(-z / 2))).astype(int)
with open(path, "w") as f:
    f.write("id,gold,negative,positive\n")
    chunk = 1_000_000
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        rows = np.column_stack([np.arange(s, e), gold[s:e], 1 - p[s:e], p[s:e]])
        np.savetxt(f, rows, fmt=["%d", "%d", "%.17g", "%.17g"], delimiter=",")
PY
  printf 'id,negative,positive\nN/A,0.4,0.6\n' > "$work/cf.csv"
  for cmd in metrics calibrate; do
    if [ "$cmd" = metrics ]; then
      args=(metrics --input "$in" --scores prob --json)
    else
      args=(calibrate --method contextual --content-free "$work/cf.csv" --scores prob --input "$in" --output "$work/out.csv")
    fi
    /usr/bin/time -f '%e %M' -o "$work/time" java $java_opts -jar "$jar" "${args[@]}" > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }
    read -r secs kib < "$work/time"
    printf '%-10s %-10s %10s %12d\n' "$n" "$cmd" "$secs" $((kib / 1024))
  done
  rm -f "$in" "$work/out.csv"
done
