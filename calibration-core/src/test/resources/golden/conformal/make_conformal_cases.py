#!/usr/bin/env python3
"""Reference values of split conformal prediction (io.calibra.conformal), made with numpy.

Run from this folder: python3 make_conformal_cases.py  (writes conformal-cases.json)

For each golden case (../NAME.json: MiniLM logits of SST-2 / AG News test rows), a fixed split drawn
with numpy.random.default_rng(20260127): 300 calibration rows, 300 test rows. The probabilities
written are p0 = softmax(logits); calibra's LabelDistribution.ofProbabilities renormalises them
(sequential sum s, then p * (1 / s)), so the reference is computed on exactly that, p1.

Definitions (see the package documentation of io.calibra.conformal):
  lac:  s = 1 - p_y
  aps:  labels ranked by p descending (stable: ties to the lower index);
        s = (sum of p over labels ranked above y, summed in rank order) + u * p_y   (u = 1)
  raps: aps + lambda * max(0, rank - k_reg), rank 1-based
  qhat = the ceil((n + 1)(1 - alpha) * (1 - 1e-12))-th smallest gold score, +inf if rank > n
  set  = {k : s_k <= qhat_k}; Mondrian: qhat_k from the calibration rows of gold class k only.
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["sst2-zeroshot-minilm", "sst2-fourshot-minilm", "agnews-zeroshot-minilm"]
ALPHAS = [0.1, 0.05, 0.2, 0.001]
N_CAL = 300
N_TEST = 300


def softmax(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def java_renormalise(p):
    s = 0.0
    for v in p:
        s += float(v)
    inv = 1.0 / s
    return [float(v) * inv for v in p]


def scores(p, kind, u=1.0, k_reg=0, lam=0.0):
    k = len(p)
    if kind == "lac":
        return [1.0 - v for v in p]
    order = np.argsort(-np.asarray(p), kind="stable")
    out = [0.0] * k
    cum = 0.0
    for r, label in enumerate(order):
        v = cum + u * p[label]
        if kind == "raps":
            v += lam * max(0, r + 1 - k_reg)
        out[label] = v
        cum += p[label]
    return out


def rank(n, alpha):
    x = (n + 1.0) * (1.0 - alpha)
    return math.ceil(x - 1e-12 * x)


def quantile(s, alpha):
    r = rank(len(s), alpha)
    if r > len(s):
        return math.inf
    return float(np.sort(np.asarray(s, dtype=np.float64))[max(r, 1) - 1])


def enc(q):
    return "Infinity" if math.isinf(q) else q


def main():
    rng = np.random.default_rng(20260127)
    out = {"seed": 20260127, "n_calibration": N_CAL, "n_test": N_TEST, "alphas": ALPHAS, "cases": []}
    for name in CASES:
        with open(os.path.join(HERE, "..", name + ".json")) as f:
            case = json.load(f)
        k = len(case["labels"])
        perm = rng.permutation(len(case["rows"]))
        cal_idx = perm[:N_CAL]
        test_idx = perm[N_CAL:N_CAL + N_TEST]

        def row(i):
            r = case["rows"][int(i)]
            p0 = [float(v) for v in softmax(r["logits"])]
            return p0, java_renormalise(p0), int(r["gold"])

        cal = [row(i) for i in cal_idx]
        test = [row(i) for i in test_idx]
        raps = {"k_reg": 1, "lambda": 0.05} if k == 2 else {"k_reg": 2, "lambda": 0.01}
        methods = {
            "lac": dict(kind="lac"),
            "aps": dict(kind="aps"),
            "raps": dict(kind="raps", k_reg=raps["k_reg"], lam=raps["lambda"]),
        }
        results = []
        for mname, kw in methods.items():
            cal_scores = [scores(p1, **kw)[g] for _, p1, g in cal]
            test_scores = [scores(p1, **kw) for _, p1, _ in test]
            for alpha in ALPHAS:
                for mondrian in (False, True):
                    if mondrian:
                        q = [quantile([s for s, (_, _, g) in zip(cal_scores, cal) if g == c], alpha)
                             for c in range(k)]
                    else:
                        q = [quantile(cal_scores, alpha)] * k
                    sets = [[c for c in range(k) if s[c] <= q[c]] for s in test_scores]
                    covered = np.mean([g in st for st, (_, _, g) in zip(sets, test)])
                    results.append({
                        "score": mname, "alpha": alpha, "mondrian": mondrian,
                        "qhat": [enc(v) for v in q], "sets": sets,
                        "coverage": float(covered),
                        "mean_set_size": float(np.mean([len(st) for st in sets])),
                    })
        # randomised weights: scores of the first 20 test rows with explicit u
        u = rng.random(20)
        randomised = []
        for j in range(20):
            p1 = test[j][1]
            randomised.append({
                "row": j, "u": float(u[j]),
                "aps": scores(p1, "aps", u=float(u[j])),
                "raps": scores(p1, "raps", u=float(u[j]), k_reg=raps["k_reg"], lam=raps["lambda"]),
            })
        out["cases"].append({
            "name": name, "labels": case["labels"], "raps": raps,
            "calibration": {"rows": [int(i) for i in cal_idx],
                            "probabilities": [p0 for p0, _, _ in cal], "gold": [g for _, _, g in cal]},
            "test": {"rows": [int(i) for i in test_idx],
                     "probabilities": [p0 for p0, _, _ in test], "gold": [g for _, _, g in test]},
            "results": results, "randomised_scores": randomised,
        })
    with open(os.path.join(HERE, "conformal-cases.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
