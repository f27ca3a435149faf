"""Golden vector/matrix scaling fits, independent of calibra's Java code.

Run from this folder:  python3 make_fits.py   (numpy, scipy)

It minimises exactly calibra's objective (AffineScaling.fit):
    mean over rows of -log softmax(W z + b)[gold]  +  lambda * (||W - w0 I||^2 + ||b||^2)
where z = log p (p = softmax(logits), i.e. log_softmax(logits)), W is K x K (matrix scaling) or
diagonal (vector scaling; the penalty then runs over the diagonal only), w0 = 1/T* with T* the NLL
optimum of temperature scaling (T = 1 if T* does not lower the NLL). The minimiser is scipy's L-BFGS-B
(gtol 1e-12, ftol 0) followed by Newton steps with a least-squares solve (the unregularised objective is
invariant to adding a constant to every score, so its Hessian is singular along those directions), until
the gradient's largest component is below 1e-12. Unregularised optima are not unique in W, b: the
tests compare probabilities and NLL, which are.

Writes fits.json: per case the input (logits rounded to 4 decimals, gold), lambda, the expected
objective value, mean NLL, the max |gradient| reached, and the calibrated probabilities of the first
ROWS_OUT rows.
"""
import json
import os

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import log_softmax, logsumexp, softmax

ROWS_OUT = 40
HERE = os.path.dirname(os.path.abspath(__file__))


def synthetic(k, n, seed):
    """Miscalibrated scores: gold drawn from true logits; the model sees them distorted."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1.0, size=(k, k))
    truth = rng.integers(0, k, size=n)
    u = centres[truth] + rng.normal(0, 1.0, size=(n, k))
    gold = np.array([rng.choice(k, p=softmax(row)) for row in u])
    mix = np.eye(k) * rng.uniform(0.5, 2.5, size=k) + rng.normal(0, 0.3, size=(k, k))
    scores = u @ mix.T + rng.normal(0, 0.7, size=k) + rng.normal(0, 0.5, size=(n, k))
    return np.round(scores, 4), gold


def real(name):
    with open(os.path.join(HERE, "..", name + ".json")) as f:
        d = json.load(f)
    logits = np.array([r["logits"] for r in d["rows"]], dtype=float)
    gold = np.array([r["gold"] for r in d["rows"]])
    return logits, gold


def temperature(z, gold):
    n = len(gold)

    def nll(beta):
        s = beta * z
        return np.mean(logsumexp(s, axis=1) - s[np.arange(n), gold])

    res = minimize_scalar(lambda lt: nll(np.exp(-lt)), bounds=(-7, 7), method="bounded",
                          options={"xatol": 1e-10})
    beta = np.exp(-res.x)
    for _ in range(50):  # Newton on beta = 1/T, where the NLL is convex
        q = softmax(beta * z, axis=1)
        mean = np.sum(q * z, axis=1)
        d1 = np.mean(mean - z[np.arange(n), gold])
        d2 = np.mean(np.sum(q * (z - mean[:, None]) ** 2, axis=1))
        beta -= d1 / d2
    t = 1 / beta
    return t if nll(beta) < nll(1.0) else 1.0


class Objective:
    def __init__(self, z, gold, diagonal, lam, w0):
        self.z, self.gold, self.diagonal, self.lam, self.w0 = z, gold, diagonal, lam, w0
        self.n, self.k = z.shape
        k = self.k
        self.nw = k if diagonal else k * k
        self.target = np.concatenate([np.full(k, w0) if diagonal else (w0 * np.eye(k)).ravel(),
                                      np.zeros(k)])

    def start(self):
        return self.target.copy()

    def scores(self, x):
        k = self.k
        if self.diagonal:
            return self.z * x[:k] + x[k:]
        return self.z @ x[: k * k].reshape(k, k).T + x[k * k:]

    def nll(self, x):
        s = self.scores(x)
        return np.mean(logsumexp(s, axis=1) - s[np.arange(self.n), self.gold])

    def __call__(self, x):
        k, n = self.k, self.n
        s = self.scores(x)
        value = np.mean(logsumexp(s, axis=1) - s[np.arange(n), self.gold])
        e = softmax(s, axis=1)
        e[np.arange(n), self.gold] -= 1
        e /= n
        if self.diagonal:
            gw = np.sum(e * self.z, axis=0)
        else:
            gw = (e.T @ self.z).ravel()
        grad = np.concatenate([gw, e.sum(axis=0)])
        d = x - self.target
        return value + self.lam * d @ d, grad + 2 * self.lam * d

    def hessian(self, x):
        k, n = self.k, self.n
        q = softmax(self.scores(x), axis=1)
        a = np.einsum("ri,ij->rij", q, np.eye(k)) - np.einsum("ri,rj->rij", q, q)  # n x k x k
        if self.diagonal:
            jac = np.zeros((n, k, 2 * k))  # ds_i / dtheta
            jac[:, np.arange(k), np.arange(k)] = self.z
            jac[:, np.arange(k), k + np.arange(k)] = 1
        else:
            xt = np.concatenate([self.z, np.ones((n, 1))], axis=1)  # n x (k+1)
            jac = np.zeros((n, k, k * k + k))
            for i in range(k):
                jac[:, i, i * k: i * k + k] = self.z
                jac[:, i, k * k + i] = 1
        h = np.einsum("rip,rij,rjq->pq", jac, a, jac) / n
        return h + 2 * self.lam * np.eye(len(x))


def fit(z, gold, diagonal, lam):
    w0 = 1 / temperature(z, gold)
    f = Objective(z, gold, diagonal, lam, w0)
    res = minimize(f, f.start(), jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-12, "ftol": 0, "maxiter": 100000, "maxfun": 200000,
                            "maxcor": 30})
    x = res.x
    lbfgs_grad = np.max(np.abs(f(x)[1]))
    for _ in range(30):
        value, g = f(x)
        if np.max(np.abs(g)) < 1e-13:
            break
        step = np.linalg.lstsq(f.hessian(x), -g, rcond=1e-13)[0]
        x = x + step
    value, g = f(x)
    return f, x, value, lbfgs_grad, np.max(np.abs(g)), w0


def finite_difference_check(f, x):
    value, g = f(x)
    h = 1e-6
    fd = np.array([(f(x + h * e)[0] - f(x - h * e)[0]) / (2 * h) for e in np.eye(len(x))])
    return np.max(np.abs(fd - g))


def main():
    sources = {
        "synthetic-k3": synthetic(3, 300, 3),
        "synthetic-k4": synthetic(4, 400, 4),
        "synthetic-k6": synthetic(6, 600, 6),
        "synthetic-k14": synthetic(14, 1400, 14),
        "agnews-zeroshot-minilm": real("agnews-zeroshot-minilm"),
        "sst2-zeroshot-minilm": real("sst2-zeroshot-minilm"),
        "sst2-fourshot-minilm": real("sst2-fourshot-minilm"),
    }
    cases = []
    for name, (logits, gold) in sources.items():
        z = log_softmax(logits, axis=1)
        for method in ("vector", "matrix"):
            for lam in (0.0, 1e-3):
                f, x, value, lbfgs_grad, grad, w0 = fit(z, gold, method == "vector", lam)
                assert grad < 1e-11, (name, method, lam, grad)
                probe = f.start() + 0.01
                probe_value, probe_grad = f(probe)
                fd = finite_difference_check(f, probe)
                assert fd < 1e-7, (name, method, lam, fd)
                probs = softmax(f.scores(x), axis=1)
                print(f"{name:24s} {method:6s} lambda={lam:g} objective={value:.15f} "
                      f"nll={f.nll(x):.15f} |g| after L-BFGS-B {lbfgs_grad:.1e}, "
                      f"after Newton {grad:.1e}; fd check {fd:.1e}")
                cases.append({
                    "name": f"{name} {method} lambda={lam:g}",
                    "source": name,
                    "method": method,
                    "lambda": lam,
                    "w0": w0,
                    "objective": value,
                    "nll": f.nll(x),
                    "max_abs_gradient": grad,
                    "probabilities": probs[:ROWS_OUT].tolist(),
                    "probe_objective": probe_value,
                    "probe_gradient": probe_grad.tolist(),
                })
    batch = []
    for name, (logits, gold) in sources.items():
        # Batch calibration: q = normalise(p / normalise(mean p)).
        p = softmax(logits, axis=1)
        bias = p.mean(axis=0)
        bias /= bias.sum()
        q = p / bias
        q /= q.sum(axis=1, keepdims=True)
        batch.append({"source": name, "bias": bias.tolist(),
                      "nll": float(-np.mean(np.log(q[np.arange(len(gold)), gold]))),
                      "probabilities": q[:ROWS_OUT].tolist()})
    inputs = {
        name: {"logits": logits.tolist(), "gold": gold.tolist()}
        for name, (logits, gold) in sources.items()
        if name.startswith("synthetic")
    }
    with open(os.path.join(HERE, "fits.json"), "w") as out:
        json.dump({"generated_by": "make_fits.py", "inputs": inputs, "cases": cases,
                   "batch": batch}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
