"""java.util.Random (a 48-bit linear congruential generator), so references can draw the same
folds and seeds as calibra's Java code."""

MASK = (1 << 48) - 1


class JavaRandom:
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & MASK

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & MASK
        r = self.seed >> (48 - bits)
        if r >= 1 << 31:  # to a signed 32-bit int
            r -= 1 << 32
        return r

    def next_int(self, bound):
        if bound & (bound - 1) == 0:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * 2.0 ** -53


def shuffled(n, seed):
    """calibra's Fisher-Yates shuffle of 0..n-1 (MethodSelection, DirichletCalibration)."""
    order = list(range(n))
    r = JavaRandom(seed)
    for i in range(n - 1, 0, -1):
        j = r.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order
