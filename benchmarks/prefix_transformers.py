#!/usr/bin/env python3
"""PyTorch + transformers reference of benchmarks/lm.sh: GPT-2 (GPT2LMHeadModel) with a prefix cache per prompt.

The model is transformers' own GPT-2 with the weights of make_gpt2_small.py (weights.pt, its modules mapped to
GPT2LMHeadModel's names; exact GELU as in the fixture modules), so it scores what the ONNX export scores. The
scoring loop is the one a transformers user writes for few-shot prompts that share a prefix: the shared prefix's
key/value cache (DynamicCache) computed once; per prompt, its remaining tokens run on that cache, each
multi-token label word's leading tokens continue from the prompt's cache, and the cache is cropped back to the
prefix for the next prompt. torch.inference_mode, THREADS threads (default 2). Prints prompts per second
(after one warm-up prompt), load time and peak resident memory (VmHWM); writes each prompt's label
log-probabilities (a label's words add as probabilities).

  /tmp/lm-venv/bin/python benchmarks/prefix_transformers.py MODEL_DIR IDS_FILE OUT [THREADS]
"""
import math
import os
import sys
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.cache_utils import DynamicCache


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def load(model_dir):
    """GPT2LMHeadModel with weights.pt (the fixture modules' names) mapped onto it."""
    state = torch.load(os.path.join(model_dir, "weights.pt"))
    width = state["wte.weight"].shape[1]
    layers = 1 + max(int(k.split(".")[1]) for k in state if k.startswith("blocks."))
    config = GPT2Config(vocab_size=state["wte.weight"].shape[0], n_positions=state["wpe.weight"].shape[0],
                        n_embd=width, n_layer=layers, n_head=width // 64, activation_function="gelu",
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, tie_word_embeddings=True)
    model = GPT2LMHeadModel(config).eval()
    mapped = {"transformer.wte.weight": state["wte.weight"], "transformer.wpe.weight": state["wpe.weight"],
              "transformer.ln_f.weight": state["ln_f.weight"], "transformer.ln_f.bias": state["ln_f.bias"]}
    names = {"ln_1": "ln_1", "ln_2": "ln_2", "c_attn": "attn.c_attn", "c_proj": "attn.c_proj",
             "mlp_fc": "mlp.c_fc", "mlp_proj": "mlp.c_proj"}
    for i in range(layers):
        for ours, theirs in names.items():
            w = state[f"blocks.{i}.{ours}.weight"]
            # transformers' Conv1D keeps [in, out]; nn.Linear keeps [out, in]
            mapped[f"transformer.h.{i}.{theirs}.weight"] = w if ours.startswith("ln") else w.t().contiguous()
            mapped[f"transformer.h.{i}.{theirs}.bias"] = state[f"blocks.{i}.{ours}.bias"]
    missing, unexpected = model.load_state_dict(mapped, strict=False)
    missing = [m for m in missing if m != "lm_head.weight" and not m.endswith(".attn.bias")]
    if missing or unexpected:
        sys.exit(f"weights do not map: missing {missing}, unexpected {unexpected}")
    model.tie_weights()
    return model


def main():
    model_dir, ids_file, out = sys.argv[1:4]
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    model = load(model_dir)
    load_s = time.perf_counter() - t0
    prompts, words = [], {}
    with open(ids_file) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "prompt":
                prompts.append([int(x) for x in parts[1:]])
            else:
                words.setdefault(int(parts[1]), []).append([int(x) for x in parts[2:]])
    labels = sorted(words)
    # the prefix every prompt shares, leaving each prompt at least one token of its own
    m = min(len(p) for p in prompts) - 1
    for p in prompts:
        while p[:m] != prompts[0][:m]:
            m -= 1
    prefix = prompts[0][:m]

    def keep(cache, n):
        """Drops the cache's tokens after the first n."""
        extra = cache.get_seq_length() - n
        if extra > 0:
            cache.crop(-extra)

    with torch.inference_mode():
        cache = DynamicCache()
        model(torch.tensor([prefix]), past_key_values=cache, use_cache=True)

        def score(ids):
            rest = torch.tensor([ids[m:]])
            p = len(ids)
            logits = model(rest, past_key_values=cache, use_cache=True,
                           attention_mask=torch.ones(1, p, dtype=torch.long)).logits[0, -1]
            last = torch.log_softmax(logits.double(), dim=-1)
            row = []
            for k in labels:
                total = -math.inf
                for w in words[k]:
                    lp = last[w[0]].item()
                    if len(w) > 1:
                        more = model(torch.tensor([w[:-1]]), past_key_values=cache, use_cache=True,
                                     attention_mask=torch.ones(1, p + len(w) - 1, dtype=torch.long)).logits[0]
                        logp = torch.log_softmax(more.double(), dim=-1)
                        lp += sum(logp[j, t].item() for j, t in enumerate(w[1:]))
                        keep(cache, p)
                    total = lp if total == -math.inf else max(total, lp) + math.log1p(math.exp(-abs(total - lp)))
                row.append(total)
            keep(cache, m)
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
    print(f"path=transformers sentences={len(prompts)} batch=1 load_s={load_s:.2f} warmup_s={warm:.2f} "
          f"seconds={seconds:.2f} sentences_per_s={len(prompts) / seconds:.3f} peak_rss_mib={peak_rss_mib()} "
          f"prefix_tokens={m} torch={torch.__version__} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
