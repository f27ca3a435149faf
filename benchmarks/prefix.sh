#!/usr/bin/env bash
# 8-shot SST-2 scoring on a random-weight GPT-2-small-shaped model, side by side in one run:
#   (a) today's path: whole prompts, each multi-token word rerun with its prompt (model without past)
#   (b) the prompt-prefix cache: Scorer.withPromptPrefix on the model with past_key_values
#   (c) PyTorch eager, one prompt at a time with a key/value cache (benchmarks/prefix_torch.py)
# Sentences per second, peak resident memory of each process, and the largest score difference.
#   benchmarks/prefix.sh [SENTENCES] [BATCH]     (default 32 sentences, batch 16; run from the project folder)
# Needs /usr/bin/python3 with Debian's python3-torch and python3-onnx for the model (made on first run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-32}"
batch="${2:-16}"
jar="$root/benchmarks/target/benchmarks.jar"
model="$root/benchmarks/target/gpt2-small"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -o -pl benchmarks -am package -DskipTests)
[ -f "$model/past/model.onnx" ] || /usr/bin/python3 "$root/benchmarks/make_gpt2_small.py" "$model"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts="${CALIBRA_JAVA_OPTS:--Xmx6g}"
run() { java $java_opts -cp "$jar" io.calibra.benchmarks.CausalPrefixBenchmark "$@"; }
echo "machine: $(nproc) CPUs, $(uptime | sed 's/.*load/load/')"
run ids "$model" "$n" "$work/ids.txt"
(cd "$root" && run whole "$model" "$n" "$work/a.tsv" "$batch") | grep '^path=' | tee "$work/a.txt"
(cd "$root" && run prefix "$model" "$n" "$work/b.tsv" "$batch") | grep '^path=' | tee "$work/b.txt"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 "$root/benchmarks/prefix_torch.py" "$model" "$work/ids.txt" "$work/c.tsv" | tee "$work/c.txt"
else
  echo "path=torch not run: /usr/bin/python3 has no torch (apt-get install python3-torch)"
fi
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
if os.path.exists(f"{w}/c.tsv"):
    sc = scores(f"{w}/c.tsv")
    print(f"max |score difference| (a) vs (c): {diff(sa, sc):.2e}")
    print(f"(b) against (c): {b / rate(f'{w}/c.txt'):.1f}x")
print(f"prefix-cache speed-up: {b / a:.1f}x")
PY
