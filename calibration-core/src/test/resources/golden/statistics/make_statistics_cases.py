#!/usr/bin/env python3
"""Reference values of io.calibra.metrics.CalibrationStatistics and StatisticsAccumulator (numpy/scipy).

Run from this folder: python3 make_statistics_cases.py  (writes statistics-cases.json)

Rows: p = softmax(logits) of the golden cases (all rows, and the first 60 rows for small-sample edge
cases). Top-label: c = max_k p_k, correct = (argmax == gold), argmax ties to the lowest index.

- debiased_ece (Kumar, Liang and Ma 2019, "Verified Uncertainty Calibration", the estimator of
  their library's lower_bound_scaling_top_ce(p=2, debias=True, num_bins=15)): bins from their
  get_equal_bins (sorted confidences cut into chunks of ceil(n / B); boundaries at the midpoints
  between chunks, plus 1.0, deduplicated), a row goes to bin searchsorted(bounds, c, 'left');
  sum over bins with n_b >= 2 of (n_b / n) [(mean c - mean correct)^2 - m (1 - m) / (n_b - 1)],
  m = mean correct; the result is sqrt(max(sum, 0)). Written from the published code's definition
  (p-lambda/verified_calibration, calibration/utils.py), as that package cannot be installed here.
- debiased_ece_equal_width: the same per-bin estimator on the 15 equal-width bins of the golden
  conventions (bin = clamp(ceil(c B) - 1, 0, B - 1)).
- ace (Nixon et al. 2019, adaptive calibration error): for each class k, rows stably sorted by p_k
  and cut by numpy.array_split into R = 15 ranges; mean over classes and ranges of
  |mean 1[gold == k] - mean p_k| (empty ranges skipped).
- smooth_ece (Blasiok and Nakkiran 2023), the algorithm of relplot.smECE (= smECE_fast, reflected
  Gaussian kernel, apple/ml-calibration src/relplot/metrics.py and kernels.py), re-implemented:
  residuals r = c - correct spread on a grid of m = 200 points by linear interpolation (weights
  divided by n); smECE_sigma = mean over the grid of |reflected Gaussian smoothing of the grid|
  (the grid mirrored at both ends, convolved with the kernel evaluated at linspace(0, 1, m) - 1/2,
  the middle m values kept); the bandwidth is the fixed point sigma = smECE_sigma, found by
  bisection on [0, 1] (10 steps, keeping the upper end; sigma = 1 if it already satisfies
  sigma < smECE_sigma); before each evaluation the grid is made 4 times finer while round(20 /
  sigma) > m. Convolutions here are direct sums (numpy.convolve), relplot uses scipy's.
- ks (Gupta et al. 2021, "Calibration of Neural Networks using Splines"): rows stably sorted by c;
  max_i |cumsum(c)_i / n - cumsum(correct)_i / n|.
- spiegelhalter (Spiegelhalter 1986) on top-label (c, correct): z = sum (correct - c)(1 - 2c) /
  sqrt(sum (1 - 2c)^2 c (1 - c)); p = 2 * scipy.stats.norm.sf(|z|).
- rsd: population standard deviation over classes with gold rows of the per-class accuracy
  (recall), divided by its mean.
- bias_score: 1/2 sum_k |mean_i p_ik - fraction of rows with gold k|.

Ties: ace and ks here split rows tied in p_k or c by their row order (the stable sort). calibra
counts each row of a tie with the tie's mean outcome and compares the KS curves at tie ends only,
so that the result does not depend on row order (docs/metrics.md). The two agree on rows without
ties, which these cases are (softmax of continuous logits); the values were not regenerated.
"""
import json
import math
import os

import numpy as np
from scipy.stats import norm

from reference_metrics import HERE, load_case

CASES = ["sst2-zeroshot-minilm", "sst2-fourshot-minilm", "agnews-zeroshot-minilm"]
BINS = 15


def top(p, gold):
    pred = p.argmax(axis=1)
    c = p[np.arange(len(gold)), pred]
    correct = (pred == gold).astype(np.float64)
    return c, correct


def bin_error_sum(groups, n):
    total = 0.0
    for c, y in groups:
        nb = len(c)
        if nb < 2:
            continue
        m = np.mean(y)
        total += (nb / n) * ((np.mean(c) - m) ** 2 - m * (1.0 - m) / (nb - 1.0))
    return total


def kumar_bounds(c, bins):
    s = sorted(c.tolist())
    size = int(math.ceil(len(s) / bins))
    chunks = [s[i:i + size] for i in range(0, len(s), size)]
    bounds = [(chunks[i][-1] + chunks[i + 1][0]) / 2.0 for i in range(len(chunks) - 1)]
    bounds.append(1.0)
    return sorted(set(bounds))


def debiased_ece(c, y, bins=BINS):
    bounds = kumar_bounds(c, bins)
    idx = np.searchsorted(bounds, c, side="left")
    groups = [(c[idx == b], y[idx == b]) for b in range(len(bounds))]
    return math.sqrt(max(bin_error_sum(groups, len(c)), 0.0))


def debiased_ece_equal_width(c, y, bins=BINS):
    idx = np.clip(np.ceil(c * bins).astype(np.int64) - 1, 0, bins - 1)
    groups = [(c[idx == b], y[idx == b]) for b in range(bins)]
    return math.sqrt(max(bin_error_sum(groups, len(c)), 0.0))


def ace(p, gold, ranges=BINS):
    n, k = p.shape
    gaps = []
    for j in range(k):
        order = np.argsort(p[:, j], kind="stable")
        for g in np.array_split(order, ranges):
            if len(g):
                gaps.append(abs(np.mean((gold[g] == j).astype(np.float64)) - np.mean(p[g, j])))
    return float(np.mean(gaps)) if len(gaps) else 0.0


def to_grid(c, r, m):
    values = np.zeros(m)
    pos = c * (m - 1)
    cell = np.clip(pos.astype(np.int64), 0, m - 2)
    frac = pos - cell
    for i in range(len(c)):  # in row order, as calibra adds them
        values[cell[i]] += (1 - frac[i]) * r[i]
        values[cell[i] + 1] += frac[i] * r[i]
    return values


def reflected_smooth(values, sigma):
    m = len(values)
    t = np.linspace(0, 1, m)
    ker = np.exp(-(t - 0.5) * (t - 0.5) / (2 * sigma * sigma)) / (math.sqrt(2 * math.pi) * sigma)
    ext = np.concatenate([values[::-1][:-1], values, values[::-1][1:]])
    valid = np.convolve(ext, ker, mode="valid")
    return valid[m // 2: m // 2 + m]


def smooth_ece(c, y, eps=0.001):
    n = len(c)
    state = {"m": 200}
    state["grid"] = to_grid(c, c - y, state["m"]) / n

    def ece_at(sigma):
        return float(np.sum(np.abs(reflected_smooth(state["grid"], sigma))) / len(state["grid"]))

    def holds(sigma):
        changed = False
        while round(20 / sigma) > state["m"]:
            state["m"] *= 4
            changed = True
        if changed:
            state["grid"] = to_grid(c, c - y, state["m"]) / n
        return sigma < eps or sigma < ece_at(sigma)

    if holds(1.0):
        sigma = 1.0
    else:
        hi, lo = 1.0, 0.0
        for _ in range(10):
            mid = (hi + lo) / 2
            if holds(mid):
                lo = mid
            else:
                hi = mid
        sigma = hi
    return ece_at(sigma), sigma, state["m"]


def ks(c, y):
    order = np.argsort(c, kind="stable")
    n = len(c)
    return float(np.max(np.abs(np.cumsum(c[order]) / n - np.cumsum(y[order]) / n)))


def spiegelhalter(c, y):
    num = np.sum((y - c) * (1 - 2 * c))
    den = math.sqrt(np.sum((1 - 2 * c) ** 2 * c * (1 - c)))
    z = num / den
    return float(z), float(2 * norm.sf(abs(z)))


def rsd(p, gold):
    pred = p.argmax(axis=1)
    acc = [np.mean(pred[gold == j] == j) for j in range(p.shape[1]) if np.any(gold == j)]
    return float(np.std(acc) / np.mean(acc))


def bias_score(p, gold):
    freq = np.bincount(gold, minlength=p.shape[1]) / len(gold)
    return float(0.5 * np.sum(np.abs(p.mean(axis=0) - freq)))


def values(p, gold):
    c, y = top(p, gold)
    sm, sigma, m = smooth_ece(c, y)
    z, pz = spiegelhalter(c, y)
    return {
        "debiased_ece": debiased_ece(c, y), "debiased_ece_equal_width": debiased_ece_equal_width(c, y),
        "ace": ace(p, gold), "smooth_ece": sm, "smooth_ece_bandwidth": sigma, "smooth_ece_grid": m,
        "ks": ks(c, y), "spiegelhalter_z": z, "spiegelhalter_p": pz, "rsd": rsd(p, gold),
        "bias_score": bias_score(p, gold),
    }


def main():
    out = []
    for name in CASES:
        _, p, gold = load_case(name)
        out.append({"name": name, "rows": len(gold), "expected": values(p, gold)})
        out.append({"name": name, "rows": 60, "expected": values(p[:60], gold[:60])})
    with open(os.path.join(HERE, "statistics-cases.json"), "w") as f:
        json.dump({"bins": BINS, "cases": out}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
