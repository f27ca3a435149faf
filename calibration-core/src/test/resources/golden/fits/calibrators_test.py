"""Reference values for CalibratorsTest's two seeded fits, independent of calibra.

Run from this folder:  python3 calibrators_test.py   (numpy, scipy; uses make_fits.py's objective)

It replays java.util.Random (the 48-bit LCG; nextDouble; nextGaussian by the polar method) to draw
the same rows as the Java test, then fits temperature, vector and matrix scaling by the same
objective as make_fits.py. Prints the values the test pins.
"""
import math

import numpy as np
from scipy.special import log_softmax, softmax

from make_fits import fit, temperature

MASK = (1 << 48) - 1


class JavaRandom:
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & MASK
        self.spare = None

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & MASK
        return self.seed >> (48 - bits)

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * 2.0 ** -53

    def next_gaussian(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        while True:
            v1 = 2 * self.next_double() - 1
            v2 = 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        mul = math.sqrt(-2 * math.log(s) / s)
        self.spare = v2 * mul
        return v1 * mul


def known_temperature():
    r = JavaRandom(7)
    logits, gold = [], []
    for _ in range(20000):
        z = r.next_gaussian() * 2
        pa = 1 / (1 + math.exp(-z))
        gold.append(0 if r.next_double() < pa else 1)
        logits.append([2 * z, 0.0])
    z = log_softmax(np.array(logits), axis=1)
    print("temperatureFitRecoversAKnownTemperature: T =", repr(temperature(z, np.array(gold))))


def label_bias():
    r = JavaRandom(11)
    logits, gold = [], []
    for _ in range(5000):
        z = r.next_gaussian() * 2
        gold.append(0 if r.next_double() < 1 / (1 + math.exp(-z)) else 1)
        logits.append([z + 1.5, 0.0])
    z = log_softmax(np.array(logits), axis=1)
    gold = np.array(gold)
    t = temperature(z, gold)
    s = z / t
    print("vectorScalingCorrectsAPerLabelBias: temperature NLL =",
          repr(np.mean(-log_softmax(s, axis=1)[np.arange(len(gold)), gold])))
    probe = log_softmax(np.array([[1.5, 0.0]]), axis=1)
    for method in ("vector", "matrix"):
        f, x, value, _, grad, _ = fit(z, gold, method == "vector", 1e-3)
        f.z = probe
        p = softmax(f.scores(x), axis=1)[0]
        f.z = z
        print(f"  {method}: NLL = {f.nll(x)!r}, q(a | logits (1.5, 0)) = {p[0]!r}, |g| = {grad:.1e}")


if __name__ == "__main__":
    known_temperature()
    label_bias()
