#!/usr/bin/env python3
"""Reference percentile bootstrap intervals (io.calibra.metrics.Bootstrap), made with numpy.

Run from this folder: python3 make_bootstrap_cases.py  (writes bootstrap-cases.json)

Rows: p = softmax(logits) of the golden cases. Resample b draws the rows
Bootstrap.resampleIndices(seed, b, n) (SplitMix64, reproduced in reference_metrics.py); every metric
of the golden conventions is computed on each resample; the interval is
numpy.percentile(values, [100 (1 - c) / 2, 100 (1 + c) / 2]) (linear interpolation).
"""
import json
import os

import numpy as np

from reference_metrics import HERE, load_case, metrics, resample_indices

CASES = [("sst2-zeroshot-minilm", 200, 42, [0.95, 0.9]), ("agnews-zeroshot-minilm", 100, 7, [0.95])]


def main():
    out = []
    for name, B, seed, confidences in CASES:
        _, p, gold = load_case(name)
        n = len(gold)
        first = resample_indices(seed, 0, n)
        values = []
        for b in range(B):
            idx = resample_indices(seed, b, n)
            values.append(metrics(p[idx], gold[idx]))
        keys = list(values[0].keys())
        intervals = {}
        for c in confidences:
            intervals[str(c)] = {
                k: [float(v) for v in np.percentile([m[k] for m in values], [100 * (1 - c) / 2, 100 * (1 + c) / 2])]
                for k in keys}
        out.append({"name": name, "resamples": B, "seed": seed, "bins": 15,
                    "first_resample_head": [int(i) for i in first[:20]], "intervals": intervals})
    with open(os.path.join(HERE, "bootstrap-cases.json"), "w") as f:
        json.dump({"cases": out}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
