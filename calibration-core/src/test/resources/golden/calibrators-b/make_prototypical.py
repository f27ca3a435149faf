"""Golden prototypical calibration (Han et al. 2022) fits, independent of calibra's Java code.

Run from this folder:  python3 make_prototypical.py   (numpy, scipy)

The same procedure as PrototypicalCalibration.fit, written from its description:
  x = log p (floored at -745); start: k-means++ seeding drawn with java.util.Random(seed)
  (javarandom.py): the first mean the row nextInt(n), each next the first row (in order, among rows at
  a positive squared distance d to the nearest chosen mean) at which the running sum of d exceeds
  nextDouble() * sum(d); covariances all the covariance of all rows + 1e-6 I; weights 1/K.
  EM: E-step (responsibilities, mean log-likelihood L), M-step (N_k = sum r + 10 eps, weights N_k / n,
  means, covariances sum r (x-mu)(x-mu)^T / N_k + 1e-6 I) until |L - L_prev| < 1e-10 (at most 1000
  iterations); weights renormalised at the end.
  Matching: scipy.optimize.linear_sum_assignment on cost[c][k] = -mean_c[k].
  q = softmax over labels of log w + log N(x; mu, Sigma) of the matched components.
Writes prototypical.json: per case the chosen initial rows, the fitted parameters in label order,
the iterations, the mean log-likelihood of the last E-step and the posteriors of the first
ROWS_OUT rows.
"""
import json
import os

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.special import log_softmax, logsumexp, softmax

from javarandom import JavaRandom

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS_OUT = 30
REG = 1e-6
EPS10 = 10 * np.finfo(float).eps


def kmeanspp(x, k, seed):
    n = len(x)
    r = JavaRandom(seed)
    chosen = [r.next_int(n)]
    nearest = np.sum((x - x[chosen[0]]) ** 2, axis=1)
    for _ in range(1, k):
        total = 0.0
        for d in nearest:  # summed in row order, as the Java loop
            total += d
        target = r.next_double() * total
        cumulative, pick = 0.0, -1
        for i in range(n):
            if nearest[i] > 0:
                pick = i
                cumulative += nearest[i]
                if cumulative > target:
                    break
        chosen.append(pick)
        nearest = np.minimum(nearest, np.sum((x - x[pick]) ** 2, axis=1))
    return chosen


def log_gauss(x, mu, cov):
    k = len(mu)
    l = np.linalg.cholesky(cov)
    y = np.linalg.solve(l, (x - mu).T).T
    return -0.5 * k * np.log(2 * np.pi) - np.sum(np.log(np.diag(l))) - 0.5 * np.sum(y * y, axis=1)


def em(x, means0):
    n, k = x.shape
    w = np.full(k, 1.0 / k)
    mu = np.array(means0, dtype=float)
    overall = np.cov(x.T, bias=True) + REG * np.eye(k)
    cov = np.array([overall.copy() for _ in range(k)])
    prev = np.nan
    it = 0
    while it < 1000:
        it += 1
        logp = np.stack([np.log(w[c]) + log_gauss(x, mu[c], cov[c]) for c in range(k)], axis=1)
        lse = logsumexp(logp, axis=1)
        ll = np.mean(lse)
        resp = np.exp(logp - lse[:, None])
        nk = resp.sum(axis=0) + EPS10
        w = nk / n
        mu = (resp.T @ x) / nk[:, None]
        for c in range(k):
            d = x - mu[c]
            cov[c] = (resp[:, c, None] * d).T @ d / nk[c] + REG * np.eye(k)
        if abs(ll - prev) < 1e-10:
            break
        prev = ll
    return w / w.sum(), mu, cov, it, ll


def main():
    with open(os.path.join(HERE, "..", "fits", "fits.json")) as fh:
        inputs = json.load(fh)["inputs"]
    sources = {"synthetic-k3": np.array(inputs["synthetic-k3"]["logits"])}
    for name in ("sst2-zeroshot-minilm", "agnews-zeroshot-minilm"):
        with open(os.path.join(HERE, "..", name + ".json")) as fh:
            d = json.load(fh)
        sources[name] = np.array([r["logits"] for r in d["rows"]], dtype=float)
    cases = []
    for name, logits in sources.items():
        x = np.maximum(log_softmax(logits, axis=1), -745.0)
        k = x.shape[1]
        for seed in (0, 7):
            init = kmeanspp(x, k, seed)
            w, mu, cov, it, ll = em(x, x[init])
            comp, label = linear_sum_assignment(-mu)
            order = np.empty(k, dtype=int)
            order[label] = comp  # order[label] = the component matched to it
            w, mu, cov = w[order], mu[order], cov[order]
            logp = np.stack([np.log(w[c]) + log_gauss(x, mu[c], cov[c]) for c in range(k)], axis=1)
            q = softmax(logp, axis=1)
            print(f"{name:24s} seed={seed} init={init} iterations={it} weights={np.round(w, 4)}")
            cases.append({
                "name": f"{name} seed={seed}",
                "source": name,
                "seed": seed,
                "initial_rows": init,
                "iterations": it,
                "log_likelihood": ll,
                "mixing": w.tolist(),
                "means": mu.ravel().tolist(),
                "covariances": cov.ravel().tolist(),
                "posteriors": q[:ROWS_OUT].tolist(),
            })
    with open(os.path.join(HERE, "prototypical.json"), "w") as fh:
        json.dump({"generated_by": "make_prototypical.py", "cases": cases}, fh, indent=1)


if __name__ == "__main__":
    main()
