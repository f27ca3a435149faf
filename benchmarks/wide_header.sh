#!/usr/bin/env bash
# Time to read a score file's header of 10^5 and 10^6 label columns (and its first row) with
# ScoreFileReader, in the launcher's JVM options (reading a header was once quadratic).
#   benchmarks/wide_header.sh [jar]     (default calibration-cli/target/calibra.jar; needs python3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="${1:-$root/calibration-cli/target/calibra.jar}"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -ntp -pl calibration-cli -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
for cols, name in [(100_000, "h100k.csv"), (1_000_000, "h1m.csv")]:
    with open(f"{work}/{name}", "w") as f:
        f.write("gold," + ",".join("l%d" % c for c in range(cols)) + "\n")
        for r in range(2):
            f.write("l%d," % r + ",".join("1" if c == r else "0" for c in range(cols)) + "\n")
PY
cat > "$work/WideHeader.java" <<'JAVA'
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import java.nio.file.Path;

public class WideHeader {
  public static void main(String[] args) {
    for (String f : args) {
      long start = System.nanoTime();
      try (ScoreFileReader r = ScoreFileReader.open(Path.of(f), ScoreFormat.PROB)) {
        int k = r.labels().size();
        double header = (System.nanoTime() - start) / 1e9;
        r.next();
        double both = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d label columns: header %.2f s, header and first row %.2f s%n", k, header, both);
      }
    }
  }
}
JAVA
java ${CALIBRA_JAVA_OPTS:--XX:+UseSerialGC -Xmn16m -Xmx1g} -cp "$jar" "$work/WideHeader.java" "$work/h100k.csv" "$work/h1m.csv"
