"""The metric definitions of the golden cases (../README.md), in numpy; shared by the scripts here."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def load_case(name):
    with open(os.path.join(HERE, "..", name + ".json")) as f:
        case = json.load(f)
    z = np.array([r["logits"] for r in case["rows"]], dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    gold = np.array([r["gold"] for r in case["rows"]], dtype=np.int64)
    return case["labels"], p, gold


def ece_equal_width(conf, correct, bins=15):
    idx = np.clip(np.ceil(conf * bins).astype(np.int64) - 1, 0, bins - 1)
    n = len(conf)
    count = np.bincount(idx, minlength=bins)
    sum_conf = np.bincount(idx, weights=conf, minlength=bins)
    sum_corr = np.bincount(idx, weights=correct, minlength=bins)
    nz = count > 0
    gaps = np.abs(sum_corr[nz] / count[nz] - sum_conf[nz] / count[nz])
    return float((count[nz] * gaps).sum() / n), float(gaps.max())


def ece_equal_mass(conf, correct, bins=15):
    order = np.argsort(conf, kind="stable")
    total = 0.0
    for group in np.array_split(order, bins):
        if len(group):
            total += len(group) * abs(correct[group].mean() - conf[group].mean())
    return total / len(conf)


def metrics(p, gold, bins=15):
    n, k = p.shape
    pred = p.argmax(axis=1)
    conf = p[np.arange(n), pred]
    correct = (pred == gold).astype(np.float64)
    ece, mce = ece_equal_width(conf, correct, bins)
    onehot = np.zeros_like(p)
    onehot[np.arange(n), gold] = 1.0
    classwise = np.mean([ece_equal_width(p[:, j], onehot[:, j], bins)[0] for j in range(k)])
    brier = float(((p - onehot) ** 2).sum(axis=1).mean())
    nll = float(-np.log(np.clip(p[np.arange(n), gold], 1e-15, 1)).mean())
    f1 = []
    for j in range(k):
        tp = np.sum((pred == j) & (gold == j))
        denom = np.sum(pred == j) + np.sum(gold == j)
        f1.append(0.0 if denom == 0 else 2.0 * tp / denom)
    return {"accuracy": float(correct.mean()), "macro_f1": float(np.mean(f1)), "ece": ece,
            "ece_equal_mass": ece_equal_mass(conf, correct, bins), "mce": mce,
            "classwise_ece": float(classwise), "brier": brier, "nll": nll}


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def resample_indices(seed, b, n):
    """io.calibra.metrics.Bootstrap.resampleIndices: SplitMix64 stream of resample b."""
    s = mix64((seed + GOLDEN * (b + 1)) & M64)
    out = np.empty(n, dtype=np.int64)
    for j in range(n):
        x = mix64((s + GOLDEN * (j + 1)) & M64)
        out[j] = ((x >> 32) * n) >> 32
    return out
