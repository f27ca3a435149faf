#!/usr/bin/env python3
"""The numpy / scipy side of the Java-versus-Python comparison (run by CompareWithNumpy).

Reads the data files that CompareWithNumpy wrote (float64 / int32, little-endian, row-major), runs
each task with the reference math of ../shared/golden/README.md, times it (best of REPEATS after one
warm-up), checks its results against Java's, and writes python-results.json.

Usage: python3 compare_numpy.py DATA_DIR
"""
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp

REPEATS = 5


def timed(fn):
    fn()
    best = float("inf")
    result = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def softmax(s):
    s = s - s.max(axis=1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def contextual(p, pcf):
    q = p / pcf
    return q / q.sum(axis=1, keepdims=True)


def temperature(p, t):
    return softmax(np.log(p) / t)


def vector(p, w, b):
    return softmax(w * np.log(p) + b)


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


def fit_temperature(z, gold):
    rows = np.arange(len(gold))

    def nll(log_t):
        s = z / np.exp(log_t)
        return float(np.mean(logsumexp(s, axis=1) - s[rows, gold]))

    r = minimize_scalar(nll, bounds=(-7.0, 7.0), method="bounded", options={"xatol": 1e-9})
    return float(np.exp(r.x))


def load(data, name, dtype, shape):
    return np.fromfile(os.path.join(data, name), dtype=dtype).reshape(shape)


def main():
    data = sys.argv[1]
    with open(os.path.join(data, "tasks.json")) as f:
        tasks = json.load(f)
    out = {}
    for task in tasks:
        name, n, k = task["name"], task["n"], task["k"]
        p = load(data, task["input"], "<f8", (n, k))
        if task["kind"] == "contextual":
            pcf = np.array(task["pcf"])
            seconds, q = timed(lambda: contextual(p, pcf))
        elif task["kind"] == "temperature":
            seconds, q = timed(lambda: temperature(p, task["t"]))
        elif task["kind"] == "vector":
            seconds, q = timed(lambda: vector(p, np.array(task["w"]), np.array(task["b"])))
        elif task["kind"] == "log":
            seconds, q = timed(lambda: np.log(p))
        elif task["kind"] == "exp":
            seconds, q = timed(lambda: np.exp(-p * 3))
        elif task["kind"] == "metrics":
            gold = load(data, task["gold"], "<i4", (n,))
            seconds, m = timed(lambda: metrics(p, gold))
            out[name] = {"seconds": seconds, "metrics": m}
            continue
        elif task["kind"] == "temperature_fit":
            gold = load(data, task["gold"], "<i4", (n,))
            z = np.log(p)
            seconds, t = timed(lambda: fit_temperature(z, gold))
            out[name] = {"seconds": seconds, "temperature": t}
            continue
        java = load(data, task["java_output"], "<f8", (n, k))
        out[name] = {"seconds": seconds, "max_abs_diff_vs_java": float(np.abs(q - java).max())}
    with open(os.path.join(data, "python-results.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
