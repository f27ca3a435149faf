"""Reference values for LeaveOneOutCalibrationTest and GenerativeCalibrationTest.

Leave-one-out contextual calibration (Reif and Schwartz 2024): bias = class-balanced mean of the
leave-one-out distributions (mean per demonstration label, then mean over the labels that have
demonstrations), normalised; q = normalise(p / bias).
Generative calibration (Jiang et al. 2023): p_gen = normalise(mean of the sampled inputs'
distributions); q = normalise(p / p_gen).
Distributions are softmax over the label set of the label-word log-probabilities.
Run: python3 scripts/loo_generative_reference.py
"""
import numpy as np

np.set_printoptions(precision=17)


def softmax(v):
    v = np.asarray(v, dtype=np.float64)
    e = np.exp(v - v.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# three labels; five demonstrations with labels 0, 0, 1, 2, 1 (class counts 2, 2, 1)
LOO_LOGPROBS = [
    [-1.2, -2.3, -3.1],
    [-0.7, -2.9, -2.2],
    [-2.5, -0.9, -1.8],
    [-1.9, -1.4, -0.6],
    [-3.0, -1.1, -2.7],
]
LOO_LABELS = [0, 0, 1, 2, 1]
TEST = [-1.5, -1.0, -2.0]

d = softmax(LOO_LOGPROBS)
per_label = [d[[j for j, l in enumerate(LOO_LABELS) if l == c]].mean(axis=0) for c in range(3)]
bias = np.mean(per_label, axis=0)
bias = bias / bias.sum()
p = softmax(TEST)
q = p / bias
q = q / q.sum()
print("loo bias", repr(bias.tolist()))
print("loo q", repr(q.tolist()))
plain = d.mean(axis=0)
print("plain mean (differs)", repr((plain / plain.sum()).tolist()))

# generative: four sampled inputs' label log-probabilities
GEN_LOGPROBS = [
    [-0.4, -1.6, -2.8],
    [-2.2, -0.3, -3.3],
    [-1.1, -1.2, -1.3],
    [-0.9, -2.6, -0.8],
]
g = softmax(GEN_LOGPROBS).mean(axis=0)
g = g / g.sum()
qg = p / g
qg = qg / qg.sum()
print("gen p_gen", repr(g.tolist()))
print("gen q", repr(qg.tolist()))
