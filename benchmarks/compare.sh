#!/usr/bin/env bash
# Java against numpy/scipy on the same data files, in one run: prints the speed-up per task and
# checks that both computed the same numbers (exit code 1 if not).
#   benchmarks/compare.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -ntp -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true)
exec java -Xmx8g -cp "$jar" io.calibra.benchmarks.CompareWithNumpy python3 "$root/benchmarks/compare_numpy.py"
