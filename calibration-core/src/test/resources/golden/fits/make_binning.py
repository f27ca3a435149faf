"""Golden classwise isotonic regression and histogram binning, from scikit-learn 1.2.

Run from this folder with Debian's python3-sklearn (1.2.1):  /usr/bin/python3 make_binning.py

For each case and each label k it fits scikit-learn's
    IsotonicRegression(increasing=True, out_of_bounds="clip", y_min=0, y_max=1)
on (p_k, 1[y = k]) of the fitting rows and records X_thresholds_, y_thresholds_ and predict() on
the test rows. Histogram binning's bin values come from sklearn.calibration.calibration_curve(
strategy="uniform", n_bins=B) (the fraction of positives of each non-empty bin); the script checks
that its bin assignment (searchsorted on the inner edges) is calibra's rule
clamp(ceil(c * B) - 1, 0, B - 1) on every value, and gives an empty bin its centre (b + 1/2) / B.
Calibrated rows: the K mapped values divided by their (left-to-right) sum, or 1/K each if the sum
is 0 (IsotonicCalibration / HistogramBinning).

Every input row is written as a fixed point of calibra's LabelDistribution.ofProbabilities (sum
left to right, multiply by 1/sum), so Java reads exactly the values scikit-learn saw.

Writes binning.json.
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from java_rows import fixed_point

HERE = os.path.dirname(os.path.abspath(__file__))


def pool(rng, k, size, decimals):
    """Distinct distributions with few distinct values per column (many ties)."""
    out = []
    for _ in range(size):
        w = np.round(rng.dirichlet(np.full(k, 0.7)), decimals)
        w[-1] = max(0.0, 1.0 - float(np.sum(w[:-1])))
        out.append(fixed_point([float(v) for v in w]))
    return out


def draw(rng, pool_rows, n, k, gold_bias):
    rows, gold = [], []
    for _ in range(n):
        r = pool_rows[rng.integers(len(pool_rows))]
        rows.append(list(r))
        # gold drawn from a distorted version of the row, so the maps have work to do
        g = np.array(r) ** gold_bias
        g = g / g.sum()
        gold.append(int(rng.choice(k, p=g)))
    return rows, gold


def normalise_output(vals):
    s = 0.0
    for v in vals:
        s += v
    if s > 0:
        return [v / s for v in vals]
    return [1.0 / len(vals)] * len(vals)


def ceil_bin(c, b):
    return min(max(int(math.ceil(c * b)) - 1, 0), b - 1)


def isotonic(fit_rows, gold, test_rows, k):
    x = np.array(fit_rows, dtype=float)
    t = np.array(test_rows, dtype=float)
    thresholds, values, mapped = [], [], []
    for label in range(k):
        y = (np.array(gold) == label).astype(float)
        ir = IsotonicRegression(increasing=True, out_of_bounds="clip", y_min=0, y_max=1)
        ir.fit(x[:, label], y)
        thresholds.append([float(v) for v in ir.X_thresholds_])
        values.append([float(v) for v in ir.y_thresholds_])
        mapped.append([float(v) for v in ir.predict(t[:, label])])
    calibrated = [normalise_output([mapped[j][i] for j in range(k)]) for i in range(len(test_rows))]
    return {"thresholds": thresholds, "values": values, "calibrated": calibrated}


def histogram(fit_rows, gold, test_rows, k, bins):
    x = np.array(fit_rows, dtype=float)
    values = []
    edges = np.linspace(0.0, 1.0, bins + 1)
    for label in range(k):
        y = (np.array(gold) == label).astype(int)
        p = x[:, label]
        sk_bins = np.searchsorted(edges[1:-1], p)
        ours = np.array([ceil_bin(c, bins) for c in p])
        assert np.array_equal(sk_bins, ours), (label, p[sk_bins != ours])
        prob_true, _ = calibration_curve(y, p, n_bins=bins, strategy="uniform")
        occupied = sorted(set(int(b) for b in ours))
        assert len(occupied) == len(prob_true)
        v = [(b + 0.5) / bins for b in range(bins)]
        for b, frac in zip(occupied, prob_true):
            v[b] = float(frac)
        values.append(v)
    calibrated = []
    for r in test_rows:
        calibrated.append(normalise_output([values[j][ceil_bin(r[j], bins)] for j in range(k)]))
    return {"bins": bins, "values": values, "calibrated": calibrated}


def case(name, k, fit_rows, gold, test_rows, bins):
    return {
        "name": name,
        "k": k,
        "fit_rows": fit_rows,
        "gold": gold,
        "test_rows": test_rows,
        "isotonic": isotonic(fit_rows, gold, test_rows, k),
        "histogram": histogram(fit_rows, gold, test_rows, k, bins),
    }


def main():
    rng = np.random.default_rng(20261127)
    cases = []
    for k, n, bins, decimals in [(2, 120, 15, 2), (3, 150, 10, 2), (4, 200, 15, 1)]:
        rows_pool = pool(rng, k, 25, decimals)
        fit_rows, gold = draw(rng, rows_pool, n, k, 2.0)
        # test rows: fresh values, including ones outside the fitted range (0 and 1)
        test_rows = pool(rng, k, 30, 3)
        corner = [0.0] * k
        corner[0] = 1.0
        test_rows.append(corner)
        test_rows.append(fixed_point([1.0 / k] * k))
        cases.append(case("ties-k%d" % k, k, fit_rows, gold, test_rows, bins))
    # values within numpy's float64 resolution (1e-15) of each other are pooled before PAVA
    half_up = math.nextafter(0.5, 1.0)
    eps_rows = [fixed_point([0.5, 0.5]), fixed_point([1.0 - half_up, half_up]),
                fixed_point([0.3, 0.7]), fixed_point([0.8, 0.2]), fixed_point([0.6, 0.4])]
    fit_rows = [eps_rows[i % 5] for i in range(20)]
    gold = [(i * 7 + i // 3) % 2 for i in range(20)]
    cases.append(case("merge-eps-k2", 2, fit_rows, gold, eps_rows + [[0.05, 0.95], [0.95, 0.05]], 5))
    # a label that is never gold (label 2) and values on bin edges (0.2, 0.4, 0.6 for B = 5)
    rows_pool = [fixed_point(r) for r in
                 [[0.2, 0.4, 0.4], [0.4, 0.4, 0.2], [0.6, 0.2, 0.2], [0.1, 0.3, 0.6],
                  [0.5, 0.25, 0.25], [0.7, 0.1, 0.2], [0.2, 0.6, 0.2]]]
    fit_rows = [rows_pool[i % 7] for i in range(42)]
    gold = [0 if (i % 7) in (0, 2, 5) or i % 5 == 0 else 1 for i in range(42)]
    test_rows = rows_pool + [fixed_point([0.0, 0.0, 1.0]), fixed_point([0.05, 0.05, 0.9])]
    cases.append(case("never-gold-k3", 3, fit_rows, gold, test_rows, 5))
    # every row of one gold class: every label's map is constant (1 for it, 0 for the others)
    rng2 = np.random.default_rng(7)
    rows_pool = pool(rng2, 4, 10, 2)
    fit_rows = [rows_pool[i % 10] for i in range(30)]
    gold = [3] * 30
    cases.append(case("one-class-k4", 4, fit_rows, gold, pool(rng2, 4, 5, 3), 15))
    out = {
        "generated_by": "make_binning.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    with open(os.path.join(HERE, "binning.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
