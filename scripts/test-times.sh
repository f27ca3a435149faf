#!/usr/bin/env bash
# Where the test time goes, from the Surefire reports a build left: the N slowest test classes and
# each module's total (the sum of its classes' elapsed times; with two test JVMs per module running
# classes side by side the sum exceeds the module's wall time), read from
# */target/surefire-reports/TEST-*.xml.
#   ./mvnw -o verify && scripts/test-times.sh [N]        (N slowest classes, default 30)
#   scripts/test-times.sh 30 /path/to/other/checkout      (reports of another checkout)
set -euo pipefail
n="${1:-30}"
root="${2:-$(cd "$(dirname "$0")/.." && pwd)}"
shopt -s nullglob
reports=("$root"/*/target/surefire-reports/TEST-*.xml)
if [ "${#reports[@]}" -eq 0 ]; then
  echo "no Surefire reports under $root/*/target/surefire-reports: run the tests first" >&2
  exit 1
fi
# one line per class: module, class, tests, seconds (the testsuite element's attributes)
rows="$(for f in "${reports[@]}"; do
  module="$(basename "$(dirname "$(dirname "$(dirname "$f")")")")"
  head -c 4000 "$f" | tr '\n' ' ' | grep -o '<testsuite [^>]*>' | head -1 | awk -v m="$module" '{
    name = ""; tests = ""; time = ""
    if (match($0, / name="[^"]*"/)) name = substr($0, RSTART + 7, RLENGTH - 8)
    if (match($0, / tests="[^"]*"/)) tests = substr($0, RSTART + 8, RLENGTH - 9)
    if (match($0, / time="[^"]*"/)) time = substr($0, RSTART + 7, RLENGTH - 8)
    gsub(",", "", time)
    print m "\t" name "\t" tests "\t" time
  }'
done)"
echo "| # | class | module | tests | seconds |"
echo "| ---: | --- | --- | ---: | ---: |"
sort -t$'\t' -k4,4 -g -r <<< "$rows" | head -n "$n" \
  | awk -F'\t' '{ n = split($2, p, "."); printf "| %d | %s | %s | %s | %.1f |\n", NR, p[n], $1, $3, $4 }'
echo
echo "| module | classes | tests | seconds in test classes |"
echo "| --- | ---: | ---: | ---: |"
awk -F'\t' '{ c[$1]++; t[$1] += $3; s[$1] += $4; tc++; tt += $3; ts += $4 }
  END {
    for (m in c) printf "| %s | %d | %d | %.1f |\n", m, c[m], t[m], s[m]
    printf "| all | %d | %d | %.1f |\n", tc, tt, ts
  }' <<< "$rows" | sort
