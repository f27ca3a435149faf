#!/usr/bin/env bash
# 8-shot SST-2 scoring on a random-weight GPT-2-small-shaped model, side by side in one run:
#   (a) today's path: whole prompts, each multi-token word rerun with its prompt (model without past)
#   (b) the prompt-prefix cache: Scorer.withPromptPrefix on the model with past_key_values
# Sentences per second, peak resident memory of each process, and the largest score difference.
#   benchmarks/prefix.sh [SENTENCES] [BATCH]     (default 32 sentences, batch 16; run from the project folder)
# Needs a Python with torch and onnx for the model (made on first run; PYTHON, default /tmp/lm-venv/bin/python).
# The comparison with PyTorch + transformers is benchmarks/lm.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-32}"
batch="${2:-16}"
jar="$root/benchmarks/target/benchmarks.jar"
model="${MODEL_DIR:-/tmp/lm/gpt2-small}"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -o -pl benchmarks -am package -DskipTests)
[ -f "$model/past/model.onnx" ] || "${PYTHON:-/tmp/lm-venv/bin/python}" "$root/benchmarks/make_gpt2_small.py" "$model"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts="${CALIBRA_JAVA_OPTS:--Xmx6g}"
run() { java $java_opts -cp "$jar" io.calibra.benchmarks.CausalPrefixBenchmark "$@"; }
echo "machine: $(nproc) CPUs, $(uptime | sed 's/.*load/load/')"
(cd "$root" && run whole "$model" "$n" "$work/a.tsv" "$batch") | grep '^path=' | tee "$work/a.txt"
(cd "$root" && run prefix "$model" "$n" "$work/b.tsv" "$batch") | grep '^path=' | tee "$work/b.txt"
echo "after: $(uptime | sed 's/.*load/load/')"
python3 - "$work" <<'PY'
import os, re, sys
w = sys.argv[1]
def rate(f):
    return float(re.search(r"sentences_per_s=([0-9.]+)", open(f).read()).group(1))
def scores(f):
    return [list(map(float, l.split()[1:])) for l in open(f)]
a, b = rate(f"{w}/a.txt"), rate(f"{w}/b.txt")
sa, sb = scores(f"{w}/a.tsv"), scores(f"{w}/b.tsv")
diff = lambda x, y: max(abs(u - v) for r, s in zip(x, y) for u, v in zip(r, s))
print(f"max |score difference| (a) vs (b): {diff(sa, sb):.2e}")
print(f"prefix-cache speed-up: {b / a:.1f}x")
PY
