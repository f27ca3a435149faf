#!/usr/bin/env bash
# Zero-shot SST-2 scoring with a masked LM (random weights, MiniLM-L6's shape, GPT-2's vocabulary; made by
# benchmarks/make_masked_small.py into benchmarks/target/masked-small on first run), side by side in one run:
#   single  one-token label words: one model run per prompt
#   mixed   one- and two-token words: one run per prompt and word length
#   ort     the single mode's prompts through a bare ONNX Runtime session (the model's own cost)
#   benchmarks/masked.sh [SENTENCES] [BATCH]     (default 256 sentences, batch 16; run from the project folder)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-256}"
batch="${2:-16}"
jar="$root/benchmarks/target/benchmarks.jar"
model="$root/benchmarks/target/masked-small"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -o -pl benchmarks -am package -DskipTests)
[ -f "$model/model.onnx" ] || /usr/bin/python3 "$root/benchmarks/make_masked_small.py" "$model"
java_opts="${CALIBRA_JAVA_OPTS:--Xmx4g}"
run() { (cd "$root" && java $java_opts -cp "$jar" io.calibra.benchmarks.MaskedLmBenchmark "$@" | grep '^mode='); }
echo "machine: $(nproc) CPUs, $(uptime | sed 's/.*load/load/')"
for mode in ort single mixed ort single mixed; do run "$mode" "$model" "$n" "$batch"; done
echo "after: $(uptime | sed 's/.*load/load/')"
