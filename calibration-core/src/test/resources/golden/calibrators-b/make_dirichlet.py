"""Golden Dirichlet calibration (ODIR) fits, independent of calibra's Java code.

Run from this folder:  python3 make_dirichlet.py   (numpy, scipy)

The objective (Kull et al. 2019, ODIR; the authors' dirichletcal MultinomialRegression with
reg_norm=True and ref_row=False):
    mean over rows of -log softmax(W z + b)[gold]
        + lambda / (K (K - 1)) * sum_{i != j} W_ij^2  +  mu / K * sum_j b_j^2
with z = log p (p = softmax(logits)). It is minimised by scipy's L-BFGS-B (gtol 1e-12, ftol 0) from
W = I, b = 0, then Newton steps (exact Hessian, dense solve) until the gradient's largest component is
below 1e-12. With lambda, mu > 0 the optimum is unique, so W and b are compared too.

Cross-validation: for one source, the pooled out-of-fold NLL of every (lambda, mu) of the grid
{1, 0.1, 0.01, 0.001}^2 with 3 folds, rows shuffled by java.util.Random(0) (javarandom.py) and dealt
round-robin, exactly as DirichletCalibration.chooseOdir (NLLs within a relative 1e-12 are tied; the
first pair in grid order wins: for K = 2 every lambda reaches the same optimum).

Inputs: the synthetic and real scores of ../fits/fits.json. Writes dirichlet.json.
"""
import json
import os

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, logsumexp, softmax

from javarandom import shuffled

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS_OUT = 30
GRID = [1.0, 1e-1, 1e-2, 1e-3]


class Odir:
    def __init__(self, z, gold, lam, mu):
        self.z, self.gold = z, gold
        self.n, self.k = z.shape
        k = self.k
        self.off = lam / (k * (k - 1))
        self.mub = mu / k
        self.offmask = np.concatenate([(1 - np.eye(k)).ravel(), np.zeros(k)])
        self.bmask = np.concatenate([np.zeros(k * k), np.ones(k)])

    def scores(self, x):
        k = self.k
        return self.z @ x[: k * k].reshape(k, k).T + x[k * k:]

    def nll(self, x):
        s = self.scores(x)
        return np.mean(logsumexp(s, axis=1) - s[np.arange(self.n), self.gold])

    def __call__(self, x):
        n = self.n
        s = self.scores(x)
        value = np.mean(logsumexp(s, axis=1) - s[np.arange(n), self.gold])
        e = softmax(s, axis=1)
        e[np.arange(n), self.gold] -= 1
        e /= n
        grad = np.concatenate([(e.T @ self.z).ravel(), e.sum(axis=0)])
        pen = self.off * self.offmask + self.mub * self.bmask
        return value + np.sum(pen * x * x), grad + 2 * pen * x

    def hessian(self, x):
        k, n = self.k, self.n
        q = softmax(self.scores(x), axis=1)
        a = np.einsum("ri,ij->rij", q, np.eye(k)) - np.einsum("ri,rj->rij", q, q)
        jac = np.zeros((n, k, k * k + k))
        for i in range(k):
            jac[:, i, i * k: i * k + k] = self.z
            jac[:, i, k * k + i] = 1
        h = np.einsum("rip,rij,rjq->pq", jac, a, jac) / n
        return h + np.diag(2 * (self.off * self.offmask + self.mub * self.bmask))


def fit(z, gold, lam, mu):
    f = Odir(z, gold, lam, mu)
    k = f.k
    x0 = np.concatenate([np.eye(k).ravel(), np.zeros(k)])
    res = minimize(f, x0, jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-12, "ftol": 0, "maxiter": 100000, "maxfun": 200000,
                            "maxcor": 30})
    x = res.x
    for _ in range(30):
        value, g = f(x)
        if np.max(np.abs(g)) < 1e-13:
            break
        x = x + np.linalg.lstsq(f.hessian(x), -g, rcond=1e-14)[0]
    value, g = f(x)
    return f, x, value, np.max(np.abs(g))


def main():
    with open(os.path.join(HERE, "..", "fits", "fits.json")) as fh:
        inputs = json.load(fh)["inputs"]
    sources = {}
    for name in ("synthetic-k3", "synthetic-k4", "synthetic-k6"):
        sources[name] = (np.array(inputs[name]["logits"]), np.array(inputs[name]["gold"]))
    for name in ("sst2-zeroshot-minilm", "agnews-zeroshot-minilm"):
        with open(os.path.join(HERE, "..", name + ".json")) as fh:
            d = json.load(fh)
        sources[name] = (np.array([r["logits"] for r in d["rows"]], dtype=float),
                         np.array([r["gold"] for r in d["rows"]]))
    cases = []
    for name, (logits, gold) in sources.items():
        z = log_softmax(logits, axis=1)
        for lam, mu in ((1e-2, 1e-2), (1.0, 1e-3), (0.5, 2.0)):
            f, x, value, grad = fit(z, gold, lam, mu)
            assert grad < 1e-11, (name, lam, mu, grad)
            k = f.k
            probe = np.concatenate([np.eye(k).ravel(), np.zeros(k)]) + 0.01
            pv, pg = f(probe)
            print(f"{name:24s} lambda={lam:g} mu={mu:g} objective={value:.15f} |g|={grad:.1e}")
            cases.append({
                "name": f"{name} lambda={lam:g} mu={mu:g}",
                "source": name,
                "lambda": lam,
                "mu": mu,
                "objective": value,
                "nll": f.nll(x),
                "weights": x[: k * k].tolist(),
                "bias": x[k * k:].tolist(),
                "probabilities": softmax(f.scores(x), axis=1)[:ROWS_OUT].tolist(),
                "probe_objective": pv,
                "probe_gradient": pg.tolist(),
            })
    cv = []
    for name in ("synthetic-k3", "sst2-zeroshot-minilm"):
        logits, gold = sources[name]
        z = log_softmax(logits, axis=1)
        n = len(gold)
        order = shuffled(n, 0)
        fold_of = np.zeros(n, dtype=int)
        for i in range(n):
            fold_of[order[i]] = i % 3
        table = []
        for lam in GRID:
            for mu in GRID:
                total = 0.0
                for fold in range(3):
                    tr = fold_of != fold
                    f, x, _, grad = fit(z[tr], gold[tr], lam, mu)
                    assert grad < 1e-11
                    s = z[~tr] @ x[: f.k ** 2].reshape(f.k, f.k).T + x[f.k ** 2:]
                    total += np.sum(logsumexp(s, axis=1) - s[np.arange(len(s)), gold[~tr]])
                table.append({"lambda": lam, "mu": mu, "nll": total / n})
        best = None  # the first in grid order on ties within a relative 1e-12, as the Java code
        for r in table:
            if best is None or r["nll"] < best["nll"] - 1e-12 * abs(best["nll"]):
                best = r
        print(f"cv {name}: best lambda={best['lambda']} mu={best['mu']} nll={best['nll']:.12f}")
        cv.append({"source": name, "folds": 3, "seed": 0, "table": table, "best": best})
    with open(os.path.join(HERE, "dirichlet.json"), "w") as fh:
        json.dump({"generated_by": "make_dirichlet.py", "cases": cases, "cv": cv}, fh, indent=1)


if __name__ == "__main__":
    main()
