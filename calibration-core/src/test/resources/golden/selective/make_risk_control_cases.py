#!/usr/bin/env python3
"""Reference values of io.calibra.selective.RiskControl (scipy).

Run from this folder: python3 make_risk_control_cases.py  (writes risk-control-cases.json)

- clopper_pearson: one-sided upper bound scipy.stats.beta.ppf(1 - level, e + 1, m - e) (1 if e = m).
- selections: on p = softmax(logits) of the golden cases, candidates 0, 0.01, ..., 1; a candidate t
  accepts the rows with confidence >= t (m rows, e errors) and passes when its upper bound <= target;
  Bonferroni: every candidate at delta / 101, the lowest passing threshold; fixed sequence: from t = 1
  down at delta, stopping at the first failure, the last passing threshold. None: +inf.
"""
import json
import math
import os

import numpy as np
from scipy.stats import beta

HERE = os.path.dirname(os.path.abspath(__file__))


def upper(e, m, level):
    if e == m:
        return 1.0
    return float(beta.ppf(1 - level, e + 1, m - e))


def select(conf, wrong, target, delta, correction):
    cands = [i / 100.0 for i in range(101)]
    level = delta / len(cands) if correction == "BONFERRONI" else delta
    best = None
    for t in reversed(cands):
        acc = conf >= t
        m = int(acc.sum())
        e = int(wrong[acc].sum())
        u = upper(e, m, level)
        if u <= target:
            best = {"threshold": t, "coverage": m / len(conf), "risk": (e / m), "bound": u}
        elif correction == "FIXED_SEQUENCE":
            break
    return best


def main():
    cp = []
    for e, m, level in [(0, 10, 0.05), (3, 10, 0.05), (9, 10, 0.1), (0, 1, 0.5), (50, 1000, 0.001),
                        (123, 456, 0.05 / 101), (1, 2000, 1e-6), (999, 1000, 0.2)]:
        cp.append({"errors": e, "trials": m, "level": level, "upper": upper(e, m, level)})
    sel = []
    for name in ["sst2-zeroshot-minilm", "agnews-zeroshot-minilm", "sst2-fourshot-minilm"]:
        with open(os.path.join(HERE, "..", name + ".json")) as f:
            case = json.load(f)
        z = np.array([r["logits"] for r in case["rows"]], dtype=np.float64)
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        gold = np.array([r["gold"] for r in case["rows"]])
        conf = p.max(axis=1)
        wrong = (p.argmax(axis=1) != gold).astype(np.int64)
        for target in [0.1, 0.2, 0.05]:
            for delta in [0.1, 0.01]:
                for correction in ["BONFERRONI", "FIXED_SEQUENCE"]:
                    sel.append({"name": name, "target": target, "delta": delta, "correction": correction,
                                "result": select(conf, wrong, target, delta, correction)})
    with open(os.path.join(HERE, "risk-control-cases.json"), "w") as f:
        json.dump({"clopper_pearson": cp, "selections": sel}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
