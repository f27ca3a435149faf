#!/usr/bin/env python3
"""PyTorch eager reference of benchmarks/prefix.sh (path c), with Debian's python3-torch.

The way Hugging Face code scores: one prompt at a time, the whole prompt in one forward pass that returns its
key/value cache, then each multi-token label word continued from that cache (one pass over its leading tokens).
Same weights (weights.pt of make_gpt2_small.py) and token ids (written by CausalPrefixBenchmark ids) as the Java
paths. Prints sentences per second and peak resident memory (VmHWM); writes each sentence's label
log-probabilities (a label's words add as probabilities).

  /usr/bin/python3 benchmarks/prefix_torch.py MODEL_DIR IDS_FILE OUT
"""
import importlib.util
import math
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    model_dir, ids_file, out = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("make_gpt2_small", os.path.join(HERE, "make_gpt2_small.py"))
    small = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(small)
    mod = small.fixture_module()
    model = mod.TinyGpt2().eval()
    model.load_state_dict(torch.load(os.path.join(model_dir, "weights.pt")))
    prompts, words = [], {}
    with open(ids_file) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "prompt":
                prompts.append([int(x) for x in parts[1:]])
            else:
                words.setdefault(int(parts[1]), []).append([int(x) for x in parts[2:]])
    labels = sorted(words)

    def score(ids):
        with torch.no_grad():
            seq = torch.tensor([ids])
            p = len(ids)
            logits, *past = model(seq, torch.ones_like(seq), torch.arange(p).unsqueeze(0))
            last = torch.log_softmax(logits[0, -1].double(), dim=-1)
            row = []
            for k in labels:
                total = -math.inf
                for w in words[k]:
                    lp = last[w[0]].item()
                    if len(w) > 1:
                        cont = torch.tensor([w[:-1]])
                        more = model(cont, torch.ones(1, p + len(w) - 1, dtype=torch.long),
                                     torch.arange(p, p + len(w) - 1).unsqueeze(0), *past)[0][0]
                        logp = torch.log_softmax(more.double(), dim=-1)
                        lp += sum(logp[j, t].item() for j, t in enumerate(w[1:]))
                    total = max(total, lp) + math.log1p(math.exp(-abs(total - lp))) if total > -math.inf else lp
                row.append(total)
            return row

    t0 = time.perf_counter()
    score(prompts[0])
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = [score(p) for p in prompts]
    seconds = time.perf_counter() - t0
    with open(out, "w") as f:
        for i, r in enumerate(rows):
            f.write(f"{i}\t{r[0]:.6f}\t{r[1]:.6f}\n")
    print(f"path=torch sentences={len(prompts)} batch=1 warmup_s={warm:.2f} seconds={seconds:.2f} "
          f"sentences_per_s={len(prompts) / seconds:.3f} peak_rss_mib={peak_rss_mib()} torch={torch.__version__} "
          f"threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
