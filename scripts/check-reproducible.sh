#!/usr/bin/env bash
# Builds calibration-core twice from clean and compares the jars byte for byte: with
# project.build.outputTimestamp set in the parent POM, every entry's time and order is fixed, so
# the two jars must be identical. Exits 1, naming the differing entries, when they are not.
# Usage: scripts/check-reproducible.sh [module]   (default: calibration-core)
set -euo pipefail
cd "$(dirname "$0")/.."
module="${1:-calibration-core}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for run in 1 2; do
  ./mvnw -q -B -o -pl "$module" clean package -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true
  jar="$(ls "$module"/target/"$module"-*.jar | grep -v -e -sources -e -javadoc -e -tests | head -1)"
  cp "$jar" "$work/run$run.jar"
done

a="$(sha256sum < "$work/run1.jar")"
b="$(sha256sum < "$work/run2.jar")"
if [[ "$a" == "$b" ]]; then
  echo "reproducible: $module jar ${a%% *} from both clean builds"
  exit 0
fi
echo "NOT reproducible: $module jars differ" >&2
mkdir "$work/1" "$work/2"
(cd "$work/1" && unzip -q ../run1.jar) && (cd "$work/2" && unzip -q ../run2.jar)
diff -rq "$work/1" "$work/2" >&2 || true
exit 1
