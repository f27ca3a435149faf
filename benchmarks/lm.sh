#!/usr/bin/env bash
# calibra's prefix path against PyTorch + transformers GPT-2 with a prefix cache per prompt, side by side:
# 8-shot SST-2 prompts on a random-weight GPT-2-small-shaped model, each side in its own process, alternated
# REPEATS times in one run, with the load average before each pair (the machine may be shared).
#   benchmarks/lm.sh [SENTENCES] [REPEATS] [BATCH]     (default 48 sentences, 3 repeats, batch 16)
# Needs a Python with torch and transformers (PYTHON, default /tmp/lm-venv/bin/python; see
# benchmarks/README.md) and makes the model into MODEL_DIR (default /tmp/lm/gpt2-small) on first run.
# PyTorch runs twice per repeat: with its defaults, and with OMP_WAIT_POLICY=PASSIVE (OpenMP threads sleep
# instead of spinning, which a loaded machine punishes); the faster of the two is the comparison.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-48}"
repeats="${2:-3}"
batch="${3:-16}"
python="${PYTHON:-/tmp/lm-venv/bin/python}"
model="${MODEL_DIR:-/tmp/lm/gpt2-small}"
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -o -pl benchmarks -am package -DskipTests)
[ -f "$model/past/model.onnx" ] || "$python" "$root/benchmarks/make_gpt2_small.py" "$model"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts="${CALIBRA_JAVA_OPTS:--XX:+UseSerialGC -Xmn16m -Xmx1g}"
load() { sed 's/.*load average: //' /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average: //'; }
echo "machine: $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB, java $(java -version 2>&1 | head -1)"
cd "$root"
java $java_opts -cp "$jar" io.calibra.benchmarks.CausalPrefixBenchmark ids "$model" "$n" "$work/ids.txt" 2>/dev/null
for r in $(seq 1 "$repeats"); do
  echo "repeat $r: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java $java_opts -cp "$jar" io.calibra.benchmarks.CausalPrefixBenchmark prefix "$model" "$n" "$work/calibra.tsv" "$batch" 2>/dev/null | grep '^path=' | tee "$work/calibra-$r.txt"
  "$python" "$root/benchmarks/prefix_transformers.py" "$model" "$work/ids.txt" "$work/torch.tsv" 2 2>/dev/null | tee "$work/torch-$r.txt"
  OMP_WAIT_POLICY=PASSIVE "$python" "$root/benchmarks/prefix_transformers.py" "$model" "$work/ids.txt" "$work/torch-passive.tsv" 2 2>/dev/null | sed 's/^path=transformers/path=transformers-passive/' | tee "$work/passive-$r.txt"
done
echo "after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$repeats" <<'PY'
import re, sys
w, repeats = sys.argv[1], int(sys.argv[2])
rate = lambda f: float(re.search(r"sentences_per_s=([0-9.]+)", open(f).read()).group(1))
scores = lambda f: [list(map(float, l.split()[1:])) for l in open(f)]
diff = lambda x, y: max(abs(u - v) for r, s in zip(x, y) for u, v in zip(r, s))
ratios = []
for r in range(1, repeats + 1):
    c, t, p = rate(f"{w}/calibra-{r}.txt"), rate(f"{w}/torch-{r}.txt"), rate(f"{w}/passive-{r}.txt")
    ratios.append(c / max(t, p))
    print(f"repeat {r}: calibra {c:.3f}/s, transformers {t:.3f}/s (passive {p:.3f}/s): {c / max(t, p):.2f}x")
print(f"max |score difference| calibra vs transformers: {diff(scores(f'{w}/calibra.tsv'), scores(f'{w}/torch.tsv')):.2e}")
ratios.sort()
print(f"calibra against the faster transformers run, median of {repeats}: {ratios[len(ratios) // 2]:.2f}x")
PY
