#!/usr/bin/env python3
"""Reference paired comparisons (io.calibra.metrics.PairedComparison), made with numpy and scipy.

Run from this folder: python3 make_paired_cases.py  (writes paired-cases.json)

For predictions A and B of the same rows: the differences B - A of accuracy, macro-F1, NLL, Brier and
ECE (the golden conventions of reference_metrics.py); the paired percentile bootstrap interval of each
difference, resample b drawing the rows Bootstrap.resampleIndices(seed, b, n) for A and B alike;
McNemar's exact p-value scipy.stats.binomtest(b, b + c, 0.5).pvalue on the discordant rows; the paired
t-test scipy.stats.ttest_rel on the per-row NLL of B and A.

Cases: "sst2-zeroshot-minilm" compares its raw probabilities (A) with its contextual probabilities
(expected.contextual.probabilities, B); the synthetic cases hold their own probabilities, made here
with a seeded numpy generator.
"""
import json
import os

import numpy as np
from scipy import stats

from reference_metrics import HERE, load_case, metrics, resample_indices

KEYS = ["accuracy", "macro_f1", "nll", "brier", "ece"]


def row_nll(p, gold):
    return -np.log(np.clip(p[np.arange(len(gold)), gold], 1e-15, 1))


def compare(pa, pb, gold, resamples, seed, confidence):
    ma, mb = metrics(pa, gold), metrics(pb, gold)
    n = len(gold)
    boot = []
    for r in range(resamples):
        idx = resample_indices(seed, r, n)
        ra, rb = metrics(pa[idx], gold[idx]), metrics(pb[idx], gold[idx])
        boot.append([rb[k] - ra[k] for k in KEYS])
    boot = np.array(boot)
    differences = {}
    for j, k in enumerate(KEYS):
        lo, hi = np.percentile(boot[:, j], [100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2])
        differences[k] = {"a": ma[k], "b": mb[k], "difference": mb[k] - ma[k], "interval": [float(lo), float(hi)]}
    right_a = pa.argmax(axis=1) == gold
    right_b = pb.argmax(axis=1) == gold
    only_a = int(np.sum(right_a & ~right_b))
    only_b = int(np.sum(right_b & ~right_a))
    p = 1.0 if only_a + only_b == 0 else float(stats.binomtest(only_a, only_a + only_b, 0.5).pvalue)
    nll_a, nll_b = row_nll(pa, gold), row_nll(pb, gold)
    t = stats.ttest_rel(nll_b, nll_a)
    return {"differences": differences,
            "mcnemar": {"only_a": only_a, "only_b": only_b, "p": p},
            "nll_t": {"mean_difference": float(np.mean(nll_b - nll_a)), "t": float(t.statistic),
                      "df": n - 1, "p": float(t.pvalue)}}


def synthetic(rng, n, k, shift):
    gold = rng.integers(0, k, n)
    za = rng.normal(0, 1.5, (n, k))
    za[np.arange(n), gold] += 1.0
    zb = za + rng.normal(0, 0.7, (n, k))
    zb[np.arange(n), gold] += shift
    def softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return softmax(za), softmax(zb), gold


def main():
    out = []
    _, pa, gold = load_case("sst2-zeroshot-minilm")
    with open(os.path.join(HERE, "..", "sst2-zeroshot-minilm.json")) as f:
        pb = np.array(json.load(f)["expected"]["contextual"]["probabilities"], dtype=np.float64)
    out.append({"name": "sst2-zeroshot-minilm", "resamples": 200, "seed": 42, "confidence": 0.95,
                **compare(pa, pb, gold, 200, 42, 0.95)})
    rng = np.random.default_rng(20211)
    for name, n, k, shift, resamples, seed, confidence in [
            ("synthetic-3-labels", 300, 3, 0.4, 300, 7, 0.9),
            ("synthetic-small", 25, 2, 0.8, 500, 3, 0.95)]:
        a, b, g = synthetic(rng, n, k, shift)
        out.append({"name": name, "resamples": resamples, "seed": seed, "confidence": confidence,
                    "labels": [f"l{j}" for j in range(k)], "gold": g.tolist(),
                    "a": a.tolist(), "b": b.tolist(), **compare(a, b, g, resamples, seed, confidence)})
    # McNemar's exact p on counts alone, including tiny and tied ones
    counts = [[0, 1], [1, 0], [3, 3], [4, 5], [10, 2], [0, 25], [60, 101], [5, 400], [1000, 1100]]
    mcnemar = [{"only_a": b, "only_b": c, "p": float(stats.binomtest(b, b + c, 0.5).pvalue)} for b, c in counts]
    with open(os.path.join(HERE, "paired-cases.json"), "w") as f:
        json.dump({"cases": out, "mcnemar": mcnemar}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
