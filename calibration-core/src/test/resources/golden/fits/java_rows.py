"""Rows of probabilities as calibra's Java reads them: the reference scripts write rows that are fixed
points of LabelDistribution.ofProbabilities (sequential sum, multiply by 1/sum), so Java sees the
reference's values bit for bit. Shared by make_binning.py and make_logistic.py."""

import math


def java_normalise(row):
    s = 0.0
    for v in row:
        s += v
    inv = 1.0 / s
    return [v * inv for v in row]


def sum_seq(row):
    s = 0.0
    for v in row:
        s += v
    return s


def fixed_point(row):
    row = [float(v) for v in row]
    for _ in range(20):
        nxt = java_normalise(row)
        if nxt == row:
            return row
        row = nxt
    # oscillating: move one value by a few ulps so that the row sums to exactly 1
    for i in sorted(range(len(row)), key=lambda j: -row[j]):
        for direction in (2.0, -1.0):
            trial = list(row)
            for _ in range(16):
                trial[i] = math.nextafter(trial[i], direction)
                if sum_seq(trial) == 1.0 and java_normalise(trial) == trial:
                    return trial
    raise AssertionError("no fixed point for %r" % (row,))
