#!/usr/bin/env bash
# CPU time (user + sys) of each module's test JVMs in one Maven run: every JVM Surefire starts is
# wrapped in /usr/bin/time, which appends to a file per module (a JVM's CPU includes the processes
# it started and waited for). CPU time compares across runs on a busy machine, where wall time does
# not. The Maven arguments are passed on, for example:
#   scripts/test-cpu.sh -o -B verify
#   scripts/test-cpu.sh -o -B -pl calibration-core test
# prints, per module: the number of test JVMs, their CPU seconds and the longest JVM's wall seconds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Surefire wants the executable to be .../bin/java
mkdir -p "$work/bin"
cat > "$work/bin/java" <<EOF
#!/usr/bin/env bash
exec /usr/bin/time -a -o "$work/cpu-\$(basename "\$PWD").txt" -f "%U %S %e" "$java_home/bin/java" "\$@"
EOF
chmod +x "$work/bin/java"
status=0
(cd "$root" && ./mvnw "$@" -Djvm="$work/bin/java") || status=$?
echo
echo "| module | test JVMs | CPU s (user + sys) | longest JVM, wall s |"
echo "| --- | ---: | ---: | ---: |"
shopt -s nullglob
for f in "$work"/cpu-*.txt; do
  module="$(basename "$f" .txt)"
  awk -v m="${module#cpu-}" '/^[0-9.]+ [0-9.]+ [0-9.]+$/ { n++; cpu += $1 + $2; if ($3 > w) w = $3 }
    END { printf "| %s | %d | %.1f | %.1f |\n", m, n, cpu, w }' "$f"
done
exit "$status"
