#!/usr/bin/env bash
# One causal model in every format calibra loads, through the prefix path: load time, peak memory, prompts
# per second and the largest label-score difference against fp32, on 8-shot SST-2 prompts.
#   benchmarks/precision.sh [SENTENCES] [BATCH] [MODEL_DIR]   (default 48, 16, /tmp/lm/gpt2-small)
# MODEL_DIR is made by make_gpt2_small.py and make_lm_variants.py (PYTHON, default /tmp/lm-venv/bin/python)
# when missing: past/ (fp32, weights inside model.onnx), external/, fp16/, int8/, int4/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-48}"
batch="${2:-16}"
model="${3:-/tmp/lm/gpt2-small}"
python="${PYTHON:-/tmp/lm-venv/bin/python}"
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -o -pl benchmarks -am package -DskipTests)
[ -f "$model/past/model.onnx" ] || "$python" "$root/benchmarks/make_gpt2_small.py" "$model"
for f in external fp16 int8 int4; do
  [ -f "$model/$f/model.onnx" ] || "$python" "$root/benchmarks/make_lm_variants.py" "$model" "$f"
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts="${CALIBRA_JAVA_OPTS:--XX:+UseSerialGC -Xmn16m -Xmx1g}"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
for f in fp32 external fp16 int8 int4; do
  dir="$model/$f"
  [ "$f" = fp32 ] && dir="$model"  # its past/model.onnx
  files="$dir"; [ "$f" = fp32 ] && files="$model/past"
  size=$(du -cb "$files"/model.onnx* | tail -1 | cut -f1)
  line=$(java $java_opts -cp "$jar" io.calibra.benchmarks.CausalPrefixBenchmark prefix "$dir" "$n" "$work/$f.tsv" "$batch" 2>/dev/null | grep '^path=')
  echo "format=$f model_mb=$((size / 1000000)) $line load_average=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/all.txt"
done
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
scores = lambda f: [list(map(float, l.split()[1:])) for l in open(f)]
ref = scores(f"{w}/fp32.tsv")
for f in ["external", "fp16", "int8", "int4"]:
    d = max(abs(u - v) for r, s in zip(ref, scores(f"{w}/{f}.tsv")) for u, v in zip(r, s))
    print(f"format={f} max_score_difference_vs_fp32={d:.2e}")
PY
