"""Golden Platt scaling, beta calibration and scaling-binning, independent of calibra's Java code.

Run from this folder:  python3 make_logistic.py   (numpy, scipy; imports make_fits.py's temperature)

Platt and beta (LogisticCalibration), two labels, label 1 positive, l_j = max(log p_j, -745):
    logit q_1 = a l_1 - b l_0 + c            (platt: a = b; beta: a, b >= 0)
minimising the mean NLL of the gold labels exactly (no clipping, no target smoothing). The minimiser
is scipy's L-BFGS-B (bounds a, b >= 0 for beta; gtol 1e-14, ftol 0), then Newton steps (exact
Hessian) on the free coordinates of the face it ends on (a or b at its bound of 0 stays there)
until the gradient's largest free component is below 1e-13; for beta the KKT conditions are
checked (the gradient of a bound coordinate at 0 is >= 0).

Scaling-binning (ScalingBinning, after Kumar et al. 2019's get_equal_bins and
get_discrete_calibrator): T from make_fits.temperature on z = l (the same objective as
TemperatureScaling), s = softmax(z / T); per label, the sorted s_k are split as numpy.array_split
into min(B, n) groups, the edges are the midpoints between groups then 1.0 (deduplicated), the bin
of c is bisect_left(edges, c), a bin's value is the mean of its s_k (summed left to right), an empty
bin's the midpoint of its edges (e_0 / 2 for bin 0). Calibrated rows: the bin values divided by
their sum (1/K each if it is 0).

Every input row is a fixed point of calibra's LabelDistribution.ofProbabilities, so Java reads
exactly these values. Writes logistic.json.
"""
import bisect
import json
import math
import os

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, softmax

from make_fits import temperature
from java_rows import fixed_point

HERE = os.path.dirname(os.path.abspath(__file__))
FLOOR = -745.0


def flog(p):
    return max(math.log(p), FLOOR) if p > 0 else FLOOR


def features(rows, platt):
    l0 = np.array([flog(r[0]) for r in rows])
    l1 = np.array([flog(r[1]) for r in rows])
    ones = np.ones(len(rows))
    return np.column_stack([l1 - l0, ones]) if platt else np.column_stack([l1, -l0, ones])


def nll(theta, x, y):
    s = x @ theta
    return float(np.mean(np.where(y == 1, np.logaddexp(0, -s), np.logaddexp(0, s))))


def grad(theta, x, y):
    return x.T @ (expit(x @ theta) - y) / len(y)


def hess(theta, x, y):
    q = expit(x @ theta)
    return (x * (q * (1 - q))[:, None]).T @ x / len(y)


def fit_logistic(rows, gold, platt):
    x = features(rows, platt)
    y = np.array(gold, dtype=float)
    start = np.array([1.0, 0.0]) if platt else np.array([1.0, 1.0, 0.0])
    bounds = None if platt else [(0, None), (0, None), (None, None)]
    res = minimize(nll, start, args=(x, y), jac=grad, method="L-BFGS-B", bounds=bounds,
                   options={"gtol": 1e-14, "ftol": 0, "maxiter": 10000})
    theta = res.x.copy()
    free = np.ones(len(theta), dtype=bool)
    if not platt:
        for j in (0, 1):
            if theta[j] <= 1e-9 and grad(theta, x, y)[j] >= -1e-9:
                theta[j] = 0.0
                free[j] = False
    for _ in range(100):
        g = grad(theta, x, y)
        if np.max(np.abs(g[free])) < 1e-13:
            break
        h = hess(theta, x, y)[np.ix_(free, free)]
        theta[free] -= np.linalg.solve(h, g[free])
    g = grad(theta, x, y)
    assert np.max(np.abs(g[free])) < 1e-12, g
    assert np.all(g[~free] >= 0), g  # KKT at a bound
    return theta, nll(theta, x, y), float(np.max(np.abs(g[free]))), free


def logistic_case(name, rows, gold, test_rows):
    out = {"name": name, "rows": rows, "gold": gold, "test_rows": test_rows}
    for method in ("platt", "beta"):
        theta, value, gmax, free = fit_logistic(rows, gold, method == "platt")
        a, b, c = (theta[0], theta[0], theta[1]) if method == "platt" else theta
        calibrated = []
        for r in test_rows:
            s = a * flog(r[1]) - b * flog(r[0]) + c
            calibrated.append([float(expit(-s)), float(expit(s))])
        out[method] = {"a": float(a), "b": float(b), "c": float(c), "nll": value,
                       "max_abs_gradient": gmax, "at_bound": [bool(not f) for f in free],
                       "calibrated": calibrated}
    return out


def equal_mass_edges(values, bins):
    sorted_v = sorted(values)
    parts = min(bins, len(sorted_v))
    groups = np.array_split(np.array(sorted_v), parts)
    edges = [(float(groups[i][-1]) + float(groups[i + 1][0])) / 2.0 for i in range(parts - 1)]
    edges.append(1.0)
    return sorted(set(edges))


def bin_means(values, edges):
    sums = [0.0] * len(edges)
    counts = [0] * len(edges)
    for v in values:
        b = bisect.bisect_left(edges, v)
        sums[b] += v
        counts[b] += 1
    out = []
    for b in range(len(edges)):
        if counts[b]:
            out.append(sums[b] / counts[b])
        else:
            out.append(edges[0] / 2.0 if b == 0 else (edges[b] + edges[b - 1]) / 2.0)
    return out


def scale(rows, t):
    z = np.array([[flog(p) for p in r] for r in rows]) * (1.0 / t)
    return softmax(z, axis=1)


def scaling_binning_case(name, rows, gold, test_rows, bins):
    k = len(rows[0])
    z = np.array([[flog(p) for p in r] for r in rows])
    t = float(temperature(z, np.array(gold)))
    s = scale(rows, t)
    edges = [equal_mass_edges(list(s[:, j]), bins) for j in range(k)]
    values = [bin_means(list(s[:, j]), edges[j]) for j in range(k)]
    calibrated = []
    for r in scale(test_rows, t):
        v = [values[j][bisect.bisect_left(edges[j], r[j])] for j in range(k)]
        total = 0.0
        for x in v:
            total += x
        calibrated.append([x / total for x in v] if total > 0 else [1.0 / k] * k)
    return {"name": name, "rows": rows, "gold": gold, "test_rows": test_rows, "bins": bins,
            "temperature": t, "edges": edges, "values": values, "calibrated": calibrated}


def synthetic(rng, k, n, slope, shift):
    u = rng.normal(0, 1.5, size=(n, k))
    gold = [int(rng.choice(k, p=softmax(row))) for row in u]
    seen = softmax(slope * u + shift, axis=1)
    rows = [fixed_point(np.round(r, 6)) for r in seen]
    return rows, gold


def main():
    rng = np.random.default_rng(13)
    logistic = []
    rows, gold = synthetic(rng, 2, 300, 2.2, np.array([0.0, 0.6]))
    test = [fixed_point(r) for r in ([0.5, 0.5], [0.9, 0.1], [0.01, 0.99], [1.0, 0.0], [0.0, 1.0])]
    logistic.append(logistic_case("synthetic-overconfident", rows, gold, test + rows[:20]))
    rows, gold = synthetic(rng, 2, 200, 0.4, np.array([0.3, 0.0]))
    logistic.append(logistic_case("synthetic-underconfident", rows, gold, test + rows[:20]))
    with open(os.path.join(HERE, "..", "sst2-zeroshot-minilm.json")) as f:
        d = json.load(f)
    rows = [fixed_point(softmax(np.array(r["logits"]))) for r in d["rows"]]
    gold = [r["gold"] for r in d["rows"]]
    logistic.append(logistic_case("sst2-zeroshot-minilm", rows, gold, test + rows[:20]))
    # beta's constraint binds: gold rises with p_1 but is frequent where p_0 is near 1 too
    r2 = np.random.default_rng(5)
    s = r2.uniform(0.02, 0.98, size=250)
    truth = 0.15 + 0.7 * s ** 3 + 0.5 * (s < 0.1)
    gold = [int(v) for v in (r2.uniform(size=250) < np.clip(truth, 0, 1))]
    rows = [fixed_point([1 - round(float(v), 4), round(float(v), 4)]) for v in s]
    logistic.append(logistic_case("beta-at-bound", rows, gold, test + rows[:20]))
    assert any(logistic[-1]["beta"]["at_bound"]), logistic[-1]["beta"]

    binning = []
    for k, n, bins, slope in [(2, 150, 15, 1.8), (3, 200, 10, 0.6), (4, 120, 15, 2.5)]:
        rows, gold = synthetic(rng, k, n, slope, rng.normal(0, 0.5, size=k))
        rows = rows + rows[:25]  # ties
        gold = gold + gold[:25]
        test = [fixed_point(np.eye(k)[0]), fixed_point(np.full(k, 1.0 / k))] + rows[:20]
        binning.append(scaling_binning_case("synthetic-k%d" % k, rows, gold, test, bins))
    rows, gold = synthetic(rng, 3, 12, 1.0, np.zeros(3))
    binning.append(scaling_binning_case("fewer-rows-than-bins-k3", rows, gold, rows, 15))
    # three distinct rows, ten times each: repeated edges are removed, leaving empty bins
    base, base_gold = synthetic(rng, 2, 3, 1.0, np.zeros(2))
    rows = [base[i % 3] for i in range(30)]
    gold = [(i % 3 + i // 7) % 2 for i in range(30)]
    test = [fixed_point([1.0, 0.0]), fixed_point([0.5, 0.5])] + base
    binning.append(scaling_binning_case("repeated-edges-k2", rows, gold, test, 15))

    with open(os.path.join(HERE, "logistic.json"), "w") as f:
        json.dump({"generated_by": "make_logistic.py", "logistic": logistic,
                   "scaling_binning": binning}, f)
        f.write("\n")
    for c in logistic:
        print(c["name"], {m: (c[m]["a"], c[m]["b"], c[m]["c"], c[m]["at_bound"]) for m in ("platt", "beta")})
    for c in binning:
        print(c["name"], c["temperature"], [len(e) for e in c["edges"]])


if __name__ == "__main__":
    main()
