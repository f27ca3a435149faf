#!/usr/bin/env python3
"""The prompt draws of io.calibra.sensitivity.PromptSensitivity, transcribed from its documentation.

Run: python3 prompt_draws.py SEED TEMPLATES POOL SHOTS PROMPTS
Prints one line per prompt: the template index and the pool indices of its demonstrations, in order.
Prompt p reads the SplitMix64 stream s_p = mix64(seed + G (p + 1)); draw j is x_j = mix64(s_p + G (j + 1)),
mapped to [0, m) as ((x >> 32) m) >> 32. Draw 0 picks the template; draws 1..K run a partial
Fisher-Yates shuffle of [0, n).
"""
import sys

M64 = (1 << 64) - 1
G = 0x9E3779B97F4A7C15


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def below(s, j, m):
    x = mix64((s + G * (j + 1)) & M64)
    return ((x >> 32) * m) >> 32


def draws(seed, templates, pool, shots, prompts):
    out = []
    for p in range(prompts):
        s = mix64((seed + G * (p + 1)) & M64)
        t = below(s, 0, templates)
        a = list(range(pool))
        for i in range(shots):
            j = i + below(s, i + 1, pool - i)
            a[i], a[j] = a[j], a[i]
        out.append((t, a[:shots]))
    return out


if __name__ == "__main__":
    for t, demos in draws(*[int(v) for v in sys.argv[1:6]]):
        print(t, demos)
